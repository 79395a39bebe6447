import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { API_ERROR_STATUS, type ApiErrorCode } from '../protocol/api-errors.ts';

/** An answer other than success, in the protocol's terms: mapped to `{error: {code, message}}` at the edge (create-app.ts). */
export class HttpError extends Error {
  readonly code: ApiErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.headers = headers;
  }

  get status(): (typeof API_ERROR_STATUS)[ApiErrorCode] {
    return API_ERROR_STATUS[this.code];
  }
}

/**
 * The query parameter that carries a read token (a bookmark, a wall screen). Read access checks it
 * before any route; routes read their query without it (`queryOf`), so it is taken the same way on
 * every read path, strict queries included.
 */
export const READ_TOKEN_PARAM = 'token';

/** The request's query, less the read token (see READ_TOKEN_PARAM). */
export function queryOf(c: Context): Record<string, string> {
  const { [READ_TOKEN_PARAM]: _token, ...query } = c.req.query();
  return query;
}

/** The protocol's error messages are at most this long. */
const MAX_MESSAGE = 2000;

/**
 * How deeply a request body may nest. The protocol's deepest message (an event batch) nests 5
 * levels; a body nested millions deep is refused before it is parsed (parsing and validating it
 * held the event loop for seconds).
 */
export const MAX_JSON_DEPTH = 32;

/** The request body as JSON checked by `schema`: malformed, too deep or invalid is a 400 that says what is wrong. */
export async function readJsonBody<T extends z.core.$ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new HttpError('bad_request', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HttpError('bad_request', `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`.slice(0, MAX_MESSAGE));
  }
  return checked(schema, json, 'the body');
}

/** Whether JSON text nests arrays and objects deeper than `maxDepth` (one pass, strings skipped; malformed text is left to JSON.parse). */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/**
 * `value` checked by `schema`, or a 400 naming the first problems (path: message). Any zod schema:
 * the protocol's are zod/mini (the agent loads them too), the server's own classic zod.
 */
export function checked<T extends z.core.$ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const listed = issues.slice(0, 5).map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`);
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  throw new HttpError('bad_request', `${what} is not valid: ${listed.join('; ')}${more}`.slice(0, MAX_MESSAGE));
}

/** Refuses a body over `maxSize` bytes with a 413, before it is read whole (Content-Length, or while streaming). */
export function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError('payload_too_large', `the body is larger than ${maxSize} bytes: send less per request`);
    },
  });
}
