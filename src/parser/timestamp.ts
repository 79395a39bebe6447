// The two timestamp layouts of docs/attune-logs.md §2 L2, read into one normalised local form
// `YYYY-MM-DD HH:MM:SS.mmm` (no zone: the log's own wall clock). The form is the log's own most
// common one, so nearly every line's timestamp is used as it stands, with no copy.

import { daysInMonth } from '../shared/gregorian-calendar.ts';

const US_LAYOUT = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ?([AaPp][Mm])$/;

/** Returns the normalised local timestamp, or null when the text is in neither layout or out of range. */
export function parseLogTimestamp(text: string): string | null {
  if (text.length === 23 && text.charCodeAt(19) === 46) {
    const fast = normalisedIsoWithMillis(text);
    if (fast !== null) return fast;
  }
  const trimmed = text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) ? text.trim() : text;
  return parseIsoLike(trimmed) ?? parseUsLayout(trimmed);
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

// `2020-09-11 12:26:48.537`, `T` allowed for the space, milliseconds optional (1 to 9 fraction digits).
function parseIsoLike(text: string): string | null {
  if (text.length < 19) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  let millis = 0;
  if (text.length > 19) {
    if (text.charCodeAt(19) !== 46) return null;
    millis = fractionToMillis(text.slice(20));
    if (millis < 0) return null;
  }
  return normalise(year, month, day, hour, minute, second, millis);
}

// `09/11/2020 12:26:48.537 PM`: month first, 12-hour clock.
function parseUsLayout(text: string): string | null {
  const m = US_LAYOUT.exec(text);
  if (!m) return null;
  const [, mo, d, y, h, mi, s, frac, meridiem] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const hour12 = Number(h);
  if (hour12 < 1 || hour12 > 12) return null;
  const pm = meridiem.toUpperCase() === 'PM';
  const hour = (hour12 % 12) + (pm ? 12 : 0);
  const millis = frac === undefined ? 0 : fractionToMillis(frac);
  if (millis < 0) return null;
  return normalise(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s), millis);
}

function fractionToMillis(fraction: string): number {
  if (fraction.length < 1 || fraction.length > 9) return -1;
  const digits = (fraction + '00').slice(0, 3);
  const value = digitsAt(digits, 0, 3);
  if (value < 0 || digitsAt(fraction, 0, fraction.length) < 0) return -1;
  return value;
}

// The layout nearly every line has (`2020-09-11 12:26:48.537`): checked in place and returned
// as a copy with `T`, without building it from numbers. The last valid date is remembered.
let lastValidDate = '\u0000';

function normalisedIsoWithMillis(text: string): string | null {
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return null;
  if (!text.startsWith(lastValidDate)) {
    if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    lastValidDate = text.slice(0, 10);
  }
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || digitsAt(text, 20, 3) < 0) return null;
  return sep === 32 ? text : `${text.slice(0, 10)} ${text.slice(11)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function normalise(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): string | null {
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}`;
}
