import type { LogEvent } from '../events/log-events.ts';

// How a log event maps onto the `events` columns and back: type, occurred_at and the source key
// have their own columns; the rest of its fields go to `data` as JSON.

/** The event's fields other than type, time and source, as JSON with sorted keys: the same event always gives the same text, whoever built it. */
export function eventData(event: LogEvent): string {
  // Most events are steps: spared the generic path (same text, keys in order).
  if (event.type === 'step') return `{"function":${JSON.stringify(event.function)},"line":${JSON.stringify(event.line)}}`;
  const { type: _type, at: _at, source: _source, ...fields } = event;
  const keys = Object.keys(fields);
  if (keys.length === 0) return '{}';
  if (keys.length === 1) return JSON.stringify(fields);
  const sorted: Record<string, unknown> = {};
  for (const key of keys.sort()) sorted[key] = fields[key as keyof typeof fields];
  return JSON.stringify(sorted);
}

/**
 * An event time (UTC ISO-8601 with milliseconds, as every event carries it) as stored: ms since
 * 1970. Any other text is refused rather than stored changed.
 */
export function utcMsOf(at: string): number {
  const ms = Date.parse(at);
  // The shape checked by its punctuation, the date by the day it lands on (Feb 30 would roll over):
  // cheaper than formatting the time back for every event of an import.
  if (
    at.length !== 24 ||
    at.charCodeAt(4) !== 45 || // -
    at.charCodeAt(7) !== 45 ||
    at.charCodeAt(10) !== 84 || // T
    at.charCodeAt(13) !== 58 || // :
    at.charCodeAt(16) !== 58 ||
    at.charCodeAt(19) !== 46 || // .
    at.charCodeAt(23) !== 90 || // Z
    !Number.isFinite(ms) ||
    new Date(ms).getUTCDate() !== (at.charCodeAt(8) - 48) * 10 + (at.charCodeAt(9) - 48)
  ) {
    throw new RangeError(`"${at}" is not a UTC time of the form 2020-09-11T12:26:48.728Z`);
  }
  return ms;
}

export function isoOfMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** Columns of a stored log event, in the order the store's queries select them. */
export type LogEventRow = [
  globalPosition: number,
  type: string,
  occurredAt: string,
  data: string,
  logFile: string,
  sourceOffset: number,
  sourceIndex: number,
  lineNumber: number,
];

/** Rebuilds the log event a row was made from. The store wrote the row itself, from a typed event. */
export function logEventFromRow(row: LogEventRow): LogEvent {
  const [, type, at, data, file, offset, index, line] = row;
  const source = { file, offset, index, line };
  if (data === '{}') return { type, at, source } as LogEvent;
  // Completed in place rather than copied: replay decodes every row.
  const event = JSON.parse(data) as Record<string, unknown>;
  event.type = type;
  event.at = at;
  event.source = source;
  return event as unknown as LogEvent;
}
