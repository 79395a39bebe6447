import * as z from '../shared/zod-mini.ts';

// Every error the API answers has one shape, so agents and people reading logs see a stable code
// and a human message. The status tells the agent what to do (see `ingest-outcome.ts`).

export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export const apiErrorCodeSchema = z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]);

export const apiErrorSchema = z.strictObject({
  error: z.strictObject({
    // Read leniently (any string): a newer server may add codes an older agent does not know.
    code: z.string().check(z.minLength(1), z.maxLength(100)),
    message: z.string().check(z.maxLength(2000)),
  }),
});

export type ApiError = z.infer<typeof apiErrorSchema>;

export function apiError(code: ApiErrorCode, message: string): ApiError {
  return { error: { code, message } };
}
