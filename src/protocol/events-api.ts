import * as z from '../shared/zod-mini.ts';
import { logEventSchema } from '../events/log-event-schema.ts';
import { instrumentIdSchema } from './instrument-id.ts';

// POST /api/v1/events: an agent ships a batch of log events, each with the raw line it came from.
// The server appends them idempotently on the source key (instrument, file, offset, index) in one
// transaction, so re-sending a batch (after a timeout, a crash, a restart) is always safe.

/** Events per request at most: keeps one transaction and one request body bounded. */
export const MAX_BATCH_EVENTS = 1000;
/** The raw line as text: the parser keeps at most 64 KiB of a line, which decodes to at most this many UTF-16 units. */
export const MAX_RAW_CHARS = 65_536;
/**
 * The server's body limit for a batch. Generous on purpose: a worst-case batch of long lines is
 * far bigger than a normal one, and agents keep their batches well under it (see the agent's outbox).
 */
export const MAX_EVENTS_BODY_BYTES = 8 * 1024 * 1024;

export const eventItemSchema = z.strictObject({
  event: logEventSchema,
  /** The line the event was read from (without its line end); null for `log_opened`/`log_ended`. */
  raw: z.nullable(z.string().check(z.maxLength(MAX_RAW_CHARS))),
});

export const eventsRequestSchema = z.strictObject({
  instrument_id: instrumentIdSchema,
  events: z.array(eventItemSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_EVENTS)),
});

/** A source position: where an event sits in an instrument's logs (the key without the informative line number). */
export const sourcePositionSchema = z.object({
  file: z.string().check(z.minLength(1)),
  offset: z.number().check(z.int(), z.minimum(0)),
  index: z.number().check(z.int(), z.minimum(-1)),
});

/**
 * The answer to a batch. `appended + duplicates` equals the number of events sent: every one is
 * now stored. `highest_source` is the highest source position stored for the instrument (in file
 * name order, then offset, then index), null when nothing is. Responses are read leniently (extra
 * fields ignored) so a newer server does not break older agents.
 */
export const eventsResponseSchema = z.object({
  appended: z.number().check(z.int(), z.minimum(0)),
  duplicates: z.number().check(z.int(), z.minimum(0)),
  highest_source: z.nullable(sourcePositionSchema),
});

export type EventItem = z.infer<typeof eventItemSchema>;
export type EventsRequest = z.infer<typeof eventsRequestSchema>;
export type EventsResponse = z.infer<typeof eventsResponseSchema>;
export type SourcePosition = z.infer<typeof sourcePositionSchema>;

/** Source order, exactly as the store orders its source keys (the order `highest_source` is in). */
export { compareSourcePositions } from '../shared/source-order.ts';
