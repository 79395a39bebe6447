import { z } from 'zod';
import { INSTRUMENT_ID_PATTERN } from '../shared/instrument-id.ts';
import { isTimeZone } from './charts/duration-series.ts';

// The query strings the pages send, checked at the edge: a bad one is a 400 with the reason.

const isoTime = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());
const instrument = z.string().regex(INSTRUMENT_ID_PATTERN, 'not an instrument id');
const name = z.string().min(1).max(200);
const OUTCOMES = ['completed', 'cancelled', 'failed', 'unconfirmed', 'interrupted', 'open'] as const;

export const runsQuerySchema = z.strictObject({
  instrument: instrument.optional(),
  procedure: name.optional(),
  user: name.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

export const durationsQuerySchema = z.strictObject({
  instrument: instrument.optional(),
  bucket: z.enum(['day', 'week']).default('day'),
  from: isoTime,
  to: isoTime,
  tz: z.string().max(100).refine(isTimeZone, 'not a time zone this server knows').default('UTC'),
});

/** A replay is of a time window, or of one run (its window). */
export const replayQuerySchema = z.union([
  z.strictObject({ instrument, from: isoTime, to: isoTime }),
  z.strictObject({ run: z.string().min(3).max(1000) }),
]);

/** The first problem of a failed parse, in words for the caller. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid request';
  if (issue.code === 'invalid_union') return 'give instrument, from and to (ISO times), or run (a run id)';
  const where = issue.path.length === 0 ? 'query' : issue.path.join('.');
  return `${where}: ${issue.message}`;
}
