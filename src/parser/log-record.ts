/** Where a line sits in its log file. `byteOffset` is just after the line end: a safe checkpoint. */
export interface LinePosition {
  file: string;
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Byte offset of the first byte of the line. */
  lineStart: number;
  /** Byte offset just after the line end (or after the last byte of a final line without one). */
  byteOffset: number;
}

/** One readable line of a `System_*.log`, in the six columns of docs/attune-logs.md §2. */
export interface LogRecord extends LinePosition {
  kind: 'record';
  /** Local wall-clock time of the instrument PC, normalised to `YYYY-MM-DD HH:MM:SS.mmm` (no zone). */
  timestamp: string;
  level: string;
  user: string;
  category: string;
  message: string;
  code: number | null;
  /** The whole line as decoded text, without its line end. */
  text: string;
}

export type UnparsedReason =
  | 'too_few_fields'
  | 'bad_quoting'
  | 'bad_timestamp'
  | 'bad_code'
  | 'line_too_long';

/** A line that could not be read as a record: kept and counted, never dropped. */
export interface UnparsedLine extends LinePosition {
  kind: 'unparsed';
  reason: UnparsedReason;
  /** The decoded line (the first `maxLineBytes` of it when it was too long). */
  text: string;
}

export type ParsedLine = LogRecord | UnparsedLine;

export interface ParseStats {
  bytes: number;
  lines: number;
  records: number;
  unparsed: number;
  blank: number;
  overlong: number;
}

export function emptyParseStats(): ParseStats {
  return { bytes: 0, lines: 0, records: 0, unparsed: 0, blank: 0, overlong: 0 };
}

/** Adds each count of `from` to the same count of `into` (parse statistics, read summaries). */
export function addCounts<T extends { [K in keyof T]: number }>(into: T, from: T): T {
  for (const key of Object.keys(from) as Array<keyof T>) (into[key] as number) += from[key];
  return into;
}
