import * as z from '../shared/zod-mini.ts';
import { MAX_EVENT_INDEX } from './line-event-limit.ts';
import type { LogEvent } from './log-events.ts';

// The trust boundary for log events arriving from outside the process (agents over HTTP, rows
// read back from storage). Kept beside the types; `satisfies` below keeps the two in step.

const utcTime = z.iso.datetime({ precision: 3 });

export const sourceKeySchema = z.strictObject({
  file: z.string().check(z.minLength(1), z.maxLength(260)),
  offset: z.number().check(z.int(), z.minimum(0)),
  index: z.number().check(z.int(), z.minimum(-1), z.maximum(MAX_EVENT_INDEX)),
  line: z.number().check(z.int(), z.minimum(0)),
});

const base = { at: utcTime, source: sourceKeySchema };
const text = z.string().check(z.maxLength(65_536));
const someText = text.check(z.minLength(1));

export const logEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('log_opened'), ...base }),
  z.strictObject({ type: z.literal('log_ended'), ...base }),
  z.strictObject({ type: z.literal('procedure_started'), ...base, procedure: someText }),
  z.strictObject({ type: z.literal('step'), ...base, function: text, line: z.number().check(z.int()) }),
  z.strictObject({ type: z.literal('procedure_done'), ...base, procedure: someText, code: text }),
  z.strictObject({ type: z.literal('stop_requested'), ...base, procedure: text }),
  z.strictObject({ type: z.literal('user_action_required'), ...base, action: text }),
  z.strictObject({ type: z.literal('user_action_completed'), ...base }),
  z.strictObject({ type: z.literal('instrument_idle'), ...base }),
  z.strictObject({ type: z.literal('acquisition_initiated'), ...base, well: z.nullable(text) }),
  z.strictObject({ type: z.literal('bubble_detected'), ...base, position: z.nullable(z.number().check(z.int())) }),
  z.strictObject({ type: z.literal('large_bubble'), ...base }),
  z.strictObject({ type: z.literal('login'), ...base, user: text }),
  z.strictObject({ type: z.literal('logout'), ...base, user: text }),
  z.strictObject({ type: z.literal('instrument_fact'), ...base, key: someText, value: text }),
  z.strictObject({ type: z.literal('qc_started'), ...base, kind: z.enum(['qc_engine', 'baseline']), beadlot: z.nullable(text) }),
  z.strictObject({ type: z.literal('fcs_file_saved'), ...base }),
  z.strictObject({ type: z.literal('line_unparsed'), ...base, reason: text }),
  z.strictObject({ type: z.literal('line_overflow'), ...base, omitted: z.number().check(z.int(), z.minimum(1)) }),
]);

// Compile-time check that the schema and the union describe the same events, both ways.
type Parsed = z.infer<typeof logEventSchema>;
export const schemaMatchesTypes: [Parsed extends LogEvent ? true : false, LogEvent extends Parsed ? true : false] = [true, true];
