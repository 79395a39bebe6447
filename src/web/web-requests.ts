import { z } from 'zod';
import { INSTRUMENT_ID_PATTERN } from '../shared/instrument-id.ts';
import { isTimeZone } from './charts/duration-series.ts';

// The query strings the pages send, checked at the edge: a bad one is a 400 with the reason (the
// runs query is the API's own: api-schemas.ts).

const isoTime = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());
const instrument = z.string().regex(INSTRUMENT_ID_PATTERN, 'not an instrument id');
export const durationsQuerySchema = z.strictObject({
  instrument: instrument.optional(),
  bucket: z.enum(['day', 'week']).default('day'),
  from: isoTime,
  to: isoTime,
  tz: z.string().max(100).refine(isTimeZone, 'not a time zone this server knows').default('UTC'),
});

/** A replay is of a time window, or of one run (its window). */
export const replayQuerySchema = z.union([z.strictObject({ instrument, from: isoTime, to: isoTime }), z.strictObject({ run: z.string().min(3).max(1000) })], {
  error: 'give instrument, from and to (ISO times), or run (a run id)',
});
