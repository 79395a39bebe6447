import type { LogEvent } from '../events/log-events.ts';
import { daysFromCivil, daysInMonth } from '../shared/gregorian-calendar.ts';

// How a log event maps onto the `event_stream` columns and back: type, time and the source key
// have their own columns; the rest of its fields go to `data` as JSON (a step's as [function, line]).
// migrations/009 says what a row leaves out of its line, and the `events` view writes it back.

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
  const ms = at.length === ISO_TIME.length ? msOfLayout(at, ISO_TIME) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`"${at}" is not a UTC time of the form 2020-09-11T12:26:48.728Z`);
  return ms;
}

const ISO_TIME = '####-##-##T##:##:##.###Z';
const LOCAL_TIME = '####-##-## ##:##:##.###';

/**
 * The time `text` starts with, laid out as `layout` (# a digit, the rest as it is),
 * read as UTC: NaN when it is not one or a field is out of range (no date rolls over, so the time
 * writes back to the very same characters). Arithmetic only: it runs for every event stored.
 */
function msOfLayout(text: string, layout: string): number {
  for (let i = 0; i < layout.length; i++) {
    const code = text.charCodeAt(i);
    const pattern = layout.charCodeAt(i);
    if (pattern === 35 ? code < 48 || code > 57 : code !== pattern) return Number.NaN;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + digits(text, 20, 23);
}

function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
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
  if (data.charCodeAt(0) === 91) {
    // [ : a step's [function, line]
    const [fn, stepLine] = JSON.parse(data) as [string, number];
    return { function: fn, line: stepLine, type, at, source } as LogEvent;
  }
  // Completed in place rather than copied: replay decodes every row.
  const event = JSON.parse(data) as Record<string, unknown>;
  event.type = type;
  event.at = at;
  event.source = source;
  return event as unknown as LogEvent;
}

/** What a log event's row keeps of its data and of its line: the `events` view gives back the very text of each. */
export interface StoredForm {
  data: string;
  /** The line less its leading local time when `localOffsetMin` is set, less a step's message (char(1)) when `data` is an array. */
  raw: string | null;
  localOffsetMin: number | null;
}

/** Stands for a step's message in its stored line. */
const STEP_MESSAGE_MARK = '\u0001';
/** Text that SQLite's JSON functions and JSON.stringify write alike, unescaped: a step's function kept in an array reads back the same. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const PLAIN_JSON_TEXT = /^[^\u0000-\u001f"\\\ud800-\udfff]*$/;

export function storedForm(event: LogEvent, occurredMs: number, raw: string | null): StoredForm {
  let data: string;
  let stepMessage: string | null = null;
  if (event.type === 'step' && Number.isSafeInteger(event.line) && PLAIN_JSON_TEXT.test(event.function) && !(raw?.includes(STEP_MESSAGE_MARK) ?? false)) {
    data = `["${event.function}",${event.line}]`;
    // As the log writes a step (docs/attune-logs.md); a line that says it otherwise keeps its text.
    stepMessage = `Instrument function ${event.function} executing line ${event.line}`;
  } else {
    data = eventData(event);
  }
  if (raw === null) return { data, raw: null, localOffsetMin: null };
  const localOffsetMin = leadingLocalOffsetMin(raw, occurredMs);
  let kept = localOffsetMin === null ? raw : raw.slice(LOCAL_TIME.length);
  if (stepMessage !== null) kept = kept.replaceAll(stepMessage, STEP_MESSAGE_MARK);
  return { data, raw: kept, localOffsetMin };
}

/**
 * When the line starts with a local time (`2020-09-11 12:26:48.728`) that is the event's time at
 * a whole number of minutes from UTC, within a time zone's reach (±18 h): that offset, with which
 * SQLite's strftime writes those very characters back; null otherwise.
 */
function leadingLocalOffsetMin(raw: string, occurredMs: number): number | null {
  if (raw.length < LOCAL_TIME.length) return null;
  const offsetMs = msOfLayout(raw, LOCAL_TIME) - occurredMs;
  return offsetMs % 60_000 === 0 && Math.abs(offsetMs) <= MAX_OFFSET_MS ? offsetMs / 60_000 : null;
}

const MAX_OFFSET_MS = 18 * 3_600_000;
