import type { LogEventPayload } from './log-events.ts';

// How many events one log line may yield, and what happens past that. ONE rule, used by the
// event reader (so `import`, `runs` and the agent read every line alike) and by the protocol's
// schema (so the server accepts exactly what they produce).
//
// A real line yields a handful of events (glued messages); a line glued from thousands of them
// is damage or mischief. Its first MAX_EVENT_INDEX events are kept (indices 0…999), and the rest
// are folded into one `line_overflow` event at index MAX_EVENT_INDEX that says how many were not
// kept: nothing vanishes without a trace, and the raw line it came from is still stored with it.

/** The highest index an event may have within its line (`log_opened` sits before the line, at -1). */
export const MAX_EVENT_INDEX = 1000;

/** At most this many events come from one line (indices 0…MAX_EVENT_INDEX). */
export const MAX_LINE_EVENTS = MAX_EVENT_INDEX + 1;

/** The events of one line within the limit: the first ones, then one `line_overflow` for the rest. */
export function withinLineLimit(payloads: LogEventPayload[]): LogEventPayload[] {
  if (payloads.length <= MAX_LINE_EVENTS) return payloads;
  const omitted = payloads.length - MAX_EVENT_INDEX;
  payloads.length = MAX_EVENT_INDEX;
  payloads.push({ type: 'line_overflow', omitted });
  return payloads;
}
