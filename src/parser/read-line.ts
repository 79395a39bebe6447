import { splitCsvLine } from './csv-fields.ts';
import type { LinePosition, LogRecord, UnparsedLine } from './log-record.ts';
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

const INTEGER = /^[+-]?\d+$/;

/** Reads one decoded, non-blank line (without its line end) into a record, or says why it cannot. */
export function readLine(text: string, position: LinePosition): LogRecord | UnparsedLine {
  const split = splitCsvLine(text);
  if (!split.ok) return unparsed(text, position, split.reason);
  const fields = split.fields;
  const count = fields.length;
  if (count < 6) return unparsed(text, position, 'too_few_fields');

  const timestamp = parseLogTimestamp(fields[0] as string);
  if (timestamp === null) return unparsed(text, position, 'bad_timestamp');

  const codeText = (fields[count - 1] as string).trim();
  let code: number | null = null;
  if (codeText !== '') {
    if (!INTEGER.test(codeText)) return unparsed(text, position, 'bad_code');
    code = Number(codeText);
  }

  // More than six fields means an unquoted comma; the free-text message is where commas occur.
  const message = count === 6 ? (fields[4] as string) : fields.slice(4, count - 1).join(',');
  const levelText = (fields[1] as string).trim();

  return {
    kind: 'record',
    timestamp,
    level: KNOWN_LEVELS[levelText.toLowerCase()] ?? levelText,
    user: (fields[2] as string).trim(),
    category: (fields[3] as string).trim(),
    message,
    code,
    text,
    ...position,
  };
}

export function unparsed(text: string, position: LinePosition, reason: UnparsedLine['reason']): UnparsedLine {
  return { kind: 'unparsed', reason, text, ...position };
}
