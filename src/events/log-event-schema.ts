import { z } from 'zod';
import { MAX_EVENT_INDEX } from './line-event-limit.ts';
import type { LogEvent } from './log-events.ts';

// The trust boundary for log events arriving from outside the process (agents over HTTP, rows
// read back from storage). Kept beside the types; `satisfies` below keeps the two in step.

const utcTime = z.iso.datetime({ precision: 3 });

export const sourceKeySchema = z.strictObject({
  file: z.string().min(1).max(260),
  offset: z.number().int().min(0),
  index: z.number().int().min(-1).max(MAX_EVENT_INDEX),
  line: z.number().int().min(0),
});

const base = { at: utcTime, source: sourceKeySchema };
const text = z.string().max(65_536);

export const logEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('log_opened'), ...base }),
  z.strictObject({ type: z.literal('log_ended'), ...base }),
  z.strictObject({ type: z.literal('procedure_started'), ...base, procedure: text.min(1) }),
  z.strictObject({ type: z.literal('step'), ...base, function: text, line: z.number().int() }),
  z.strictObject({ type: z.literal('procedure_done'), ...base, procedure: text.min(1), code: text }),
  z.strictObject({ type: z.literal('stop_requested'), ...base, procedure: text }),
  z.strictObject({ type: z.literal('user_action_required'), ...base, action: text }),
  z.strictObject({ type: z.literal('user_action_completed'), ...base }),
  z.strictObject({ type: z.literal('instrument_idle'), ...base }),
  z.strictObject({ type: z.literal('acquisition_initiated'), ...base, well: text.nullable() }),
  z.strictObject({ type: z.literal('bubble_detected'), ...base, position: z.number().int().nullable() }),
  z.strictObject({ type: z.literal('large_bubble'), ...base }),
  z.strictObject({ type: z.literal('login'), ...base, user: text }),
  z.strictObject({ type: z.literal('logout'), ...base, user: text }),
  z.strictObject({ type: z.literal('instrument_fact'), ...base, key: text.min(1), value: text }),
  z.strictObject({ type: z.literal('qc_started'), ...base, kind: z.enum(['qc_engine', 'baseline']), beadlot: text.nullable() }),
  z.strictObject({ type: z.literal('fcs_file_saved'), ...base }),
  z.strictObject({ type: z.literal('line_unparsed'), ...base, reason: text }),
  z.strictObject({ type: z.literal('line_overflow'), ...base, omitted: z.number().int().min(1) }),
]);

// Compile-time check that the schema and the union describe the same events, both ways.
type Parsed = z.infer<typeof logEventSchema>;
export const schemaMatchesTypes: [Parsed extends LogEvent ? true : false, LogEvent extends Parsed ? true : false] = [true, true];
