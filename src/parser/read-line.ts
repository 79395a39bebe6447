import { splitCsvLine } from './csv-fields.ts';
import type { LogRecord, UnparsedLine } from './log-record.ts';
import { parseLogTimestamp } from './timestamp.ts';

const KNOWN_LEVELS: Record<string, string> = {
  info: 'Info',
  warning: 'Warning',
  warn: 'Warning',
  error: 'Error',
  debug: 'Debug',
  fatal: 'Fatal',
  trace: 'Trace',
};


/**
 * Reads one decoded, non-blank line (without its line end) into a record, or says why it cannot.
 * Six columns: timestamp, level, user, category, message, code. More than six fields means an
 * unquoted comma; the free-text message is where commas occur, so the extra ones belong to it.
 */
export function readLine(text: string, file: string, lineNumber: number, lineStart: number, byteOffset: number): LogRecord | UnparsedLine {
  // Most lines have no quotes: their fields are cut out by comma position, with no array.
  if (text.indexOf('"') !== -1) return readQuotedLine(text, file, lineNumber, lineStart, byteOffset);
  const c1 = text.indexOf(',');
  const c2 = c1 === -1 ? -1 : text.indexOf(',', c1 + 1);
  const c3 = c2 === -1 ? -1 : text.indexOf(',', c2 + 1);
  const c4 = c3 === -1 ? -1 : text.indexOf(',', c3 + 1);
  const last = c4 === -1 ? -1 : text.lastIndexOf(',');
  if (last <= c4) return unparsed(text, file, lineNumber, lineStart, byteOffset, 'too_few_fields');
  return buildRecord(
    text,
    text.slice(0, c1),
    text.slice(c1 + 1, c2),
    text.slice(c2 + 1, c3),
    text.slice(c3 + 1, c4),
    text.slice(c4 + 1, last),
    text.slice(last + 1),
    file,
    lineNumber,
    lineStart,
    byteOffset,
  );
}

function readQuotedLine(text: string, file: string, lineNumber: number, lineStart: number, byteOffset: number): LogRecord | UnparsedLine {
  const split = splitCsvLine(text);
  if (!split.ok) return unparsed(text, file, lineNumber, lineStart, byteOffset, split.reason);
  const f = split.fields;
  const n = f.length;
  if (n < 6) return unparsed(text, file, lineNumber, lineStart, byteOffset, 'too_few_fields');
  const message = n === 6 ? (f[4] as string) : f.slice(4, n - 1).join(',');
  return buildRecord(text, f[0] as string, f[1] as string, f[2] as string, f[3] as string, message, f[n - 1] as string, file, lineNumber, lineStart, byteOffset);
}

function buildRecord(
  text: string,
  timestampText: string,
  levelText: string,
  userText: string,
  categoryText: string,
  message: string,
  codeText: string,
  file: string,
  lineNumber: number,
  lineStart: number,
  byteOffset: number,
): LogRecord | UnparsedLine {
  const timestamp = parseLogTimestamp(timestampText);
  if (timestamp === null) return unparsed(text, file, lineNumber, lineStart, byteOffset, 'bad_timestamp');
  const code = parseCode(codeText);
  if (code === undefined) return unparsed(text, file, lineNumber, lineStart, byteOffset, 'bad_code');
  return {
    kind: 'record',
    timestamp,
    level: normaliseLevel(levelText),
    user: trimIfNeeded(userText),
    category: trimIfNeeded(categoryText),
    message,
    code,
    text,
    file,
    lineNumber,
    lineStart,
    byteOffset,
  };
}

export function unparsed(text: string, file: string, lineNumber: number, lineStart: number, byteOffset: number, reason: UnparsedLine['reason']): UnparsedLine {
  return { kind: 'unparsed', reason, text, file, lineNumber, lineStart, byteOffset };
}

function normaliseLevel(text: string): string {
  // The common spellings are returned as is without lower-casing every line.
  if (text === 'Info' || text === 'Warning' || text === 'Error') return text;
  const trimmed = text.trim();
  return KNOWN_LEVELS[trimmed.toLowerCase()] ?? trimmed;
}

/** A signed integer, null when empty, undefined when it is not a number. */
function parseCode(text: string): number | null | undefined {
  const s = trimIfNeeded(text);
  const n = s.length;
  if (n === 0) return null;
  let i = s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n || n - i > 15) return undefined;
  let value = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  return s.charCodeAt(0) === 45 ? -value : value;
}

function trimIfNeeded(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  return first <= 32 || last <= 32 ? text.trim() : text;
}

