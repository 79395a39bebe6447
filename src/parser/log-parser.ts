import { emptyParseStats, type LinePosition, type ParsedLine, type ParseStats } from './log-record.ts';
import { readLine, unparsed } from './read-line.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export interface LogParserOptions {
  /** The log file's name, carried by every record. */
  file: string;
  /** Byte offset in the file of the first byte that will be pushed (to resume from a checkpoint). */
  startOffset?: number;
  /** How many lines come before `startOffset`. */
  startLineNumber?: number;
  /** Longer lines are cut to this many bytes and kept as `line_too_long`. */
  maxLineBytes?: number;
}

/**
 * Incremental reader of a `System_*.log`: push the file's bytes in chunks split anywhere, get the
 * same lines as from the whole file. Lines are split on LF (a CR before it is dropped), so a chunk
 * boundary inside a UTF-8 character, between CR and LF or inside a quoted field changes nothing.
 * A last line without its line end is held back until its end arrives or `end()` says the file ended.
 */
export class LogParser {
  readonly file: string;
  readonly stats: ParseStats = emptyParseStats();
  private readonly maxLineBytes: number;
  private consumed: number;
  private lineNumber: number;
  // The unfinished line: at most maxLineBytes + 1 bytes are kept, `heldTotal` counts them all.
  private held: Buffer[] = [];
  private heldKept = 0;
  private heldTotal = 0;
  private heldLastByte = -1;

  constructor(options: LogParserOptions) {
    this.file = options.file;
    this.consumed = options.startOffset ?? 0;
    this.lineNumber = options.startLineNumber ?? 0;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Byte offset just after the last complete line: where a follower can safely resume. */
  get offset(): number {
    return this.consumed;
  }

  /** Lines read so far (complete ones), counting blank lines. */
  get linesRead(): number {
    return this.lineNumber;
  }

  /** Bytes of an unfinished last line, held back. */
  get pendingBytes(): number {
    return this.heldTotal;
  }

  push(chunk: Uint8Array): ParsedLine[] {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.stats.bytes += buffer.length;
    const out: ParsedLine[] = [];
    let pos = 0;
    while (pos < buffer.length) {
      const lf = buffer.indexOf(LF, pos);
      if (lf === -1) {
        this.hold(buffer, pos, buffer.length);
        break;
      }
      if (this.heldTotal === 0) {
        const lastByte = lf > pos ? (buffer[lf - 1] as number) : -1;
        this.emit(buffer, pos, lf, lf - pos, lastByte, 1, out);
      } else {
        this.hold(buffer, pos, lf);
        this.emitHeld(1, out);
      }
      pos = lf + 1;
    }
    return out;
  }

  /** The file has ended: a held last line without its line end is final. */
  end(): ParsedLine[] {
    const out: ParsedLine[] = [];
    if (this.heldTotal > 0) this.emitHeld(0, out);
    return out;
  }

  private hold(buffer: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxLineBytes + 1 - this.heldKept;
    if (room > 0) {
      const keep = Math.min(room, to - from);
      // Copied: the caller may reuse its chunk buffer.
      this.held.push(Buffer.from(buffer.subarray(from, from + keep)));
      this.heldKept += keep;
    }
    this.heldTotal += to - from;
    this.heldLastByte = buffer[to - 1] as number;
  }

  private emitHeld(lineEndBytes: number, out: ParsedLine[]): void {
    const joined = this.held.length === 1 ? (this.held[0] as Buffer) : Buffer.concat(this.held, this.heldKept);
    const total = this.heldTotal;
    const lastByte = this.heldLastByte;
    this.held = [];
    this.heldKept = 0;
    this.heldTotal = 0;
    this.heldLastByte = -1;
    this.emit(joined, 0, joined.length, total, lastByte, lineEndBytes, out);
  }

  /**
   * One line: `buffer[from, to)` holds its first bytes (all of them unless it is over-long),
   * `total` is its full length without the LF, `lastByte` its last byte before the LF.
   */
  private emit(buffer: Buffer, from: number, to: number, total: number, lastByte: number, lineEndBytes: number, out: ParsedLine[]): void {
    const lineStart = this.consumed;
    this.consumed += total + lineEndBytes;
    this.lineNumber++;
    this.stats.lines++;
    const contentLength = lastByte === CR ? total - 1 : total;
    let start = from;
    if (lineStart === 0 && buffer[from] === 0xef && buffer[from + 1] === 0xbb && buffer[from + 2] === 0xbf) start += 3;
    const position: LinePosition = { file: this.file, lineNumber: this.lineNumber, lineStart, byteOffset: this.consumed };

    if (contentLength > this.maxLineBytes) {
      this.stats.overlong++;
      this.stats.unparsed++;
      const end = Math.min(to, from + this.maxLineBytes);
      out.push(unparsed(buffer.toString('utf8', start, end), position, 'line_too_long'));
      return;
    }
    const end = from + contentLength;
    const text = buffer.toString('utf8', start, end);
    if (isBlank(text)) {
      this.stats.blank++;
      return;
    }
    const line = readLine(text, position);
    if (line.kind === 'record') this.stats.records++;
    else this.stats.unparsed++;
    out.push(line);
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Reads a whole file's bytes at once (tests, small files). */
export function parseLogBytes(file: string, bytes: Uint8Array, options: Omit<LogParserOptions, 'file'> = {}): { lines: ParsedLine[]; stats: ParseStats } {
  const parser = new LogParser({ file, ...options });
  const lines = parser.push(bytes);
  lines.push(...parser.end());
  return { lines, stats: parser.stats };
}
