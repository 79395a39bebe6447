import { isAscii } from 'node:buffer';
import { emptyParseStats, type ParsedLine, type ParseStats } from './log-record.ts';
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
    if (this.heldTotal > 0) {
      const lf = buffer.indexOf(LF);
      if (lf === -1) {
        this.hold(buffer, 0, buffer.length);
        return out;
      }
      this.hold(buffer, 0, lf);
      this.emitHeld(1, out);
      pos = lf + 1;
    }
    const lastLf = buffer.lastIndexOf(LF);
    if (lastLf >= pos) {
      this.emitBlock(buffer, pos, lastLf + 1, out);
      pos = lastLf + 1;
    }
    this.hold(buffer, pos, buffer.length);
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
  }

  private emitHeld(lineEndBytes: number, out: ParsedLine[]): void {
    const joined = this.held.length === 1 ? (this.held[0] as Buffer) : Buffer.concat(this.held, this.heldKept);
    const total = this.heldTotal;
    this.held = [];
    this.heldKept = 0;
    this.heldTotal = 0;
    if (total > joined.length) this.emitOverlong(joined, 0, total, lineEndBytes, out);
    else this.emitText(decodeUtf8(joined, 0, joined.length), total, lineEndBytes, out);
  }

  /**
   * Complete lines `[from, to)` (ending with LF). Pure-ASCII stretches (nearly all of a log) are
   * decoded in one call and cut at the same line ends in bytes and in text; a stretch holding
   * other bytes is decoded line by line, so that one `™` does not turn a whole block into a
   * two-byte string and invalid bytes cannot shift text against bytes.
   */
  private emitBlock(buffer: Buffer, from: number, to: number, out: ParsedLine[]): void {
    let blockStart = from;
    while (blockStart < to) {
      const limit = Math.min(blockStart + ASCII_BLOCK_BYTES, to);
      let blockEnd = limit === to ? to : buffer.lastIndexOf(LF, limit - 1) + 1;
      if (blockEnd <= blockStart) blockEnd = buffer.indexOf(LF, limit) + 1;
      if (isAscii(buffer.subarray(blockStart, blockEnd))) this.emitAsciiBlock(buffer, blockStart, blockEnd, out);
      else this.emitLines(buffer, blockStart, blockEnd, out);
      blockStart = blockEnd;
    }
  }

  private emitAsciiBlock(buffer: Buffer, from: number, to: number, out: ParsedLine[]): void {
    const text = decodeLatin1(buffer, from, to);
    let pos = 0;
    const length = to - from;
    while (pos < length) {
      const lf = text.indexOf('\n', pos);
      const total = lf - pos;
      if (total > this.maxLineBytes + 1) this.emitOverlong(buffer, from + pos, total, 1, out);
      else this.emitText(text.slice(pos, lf), total, 1, out);
      pos = lf + 1;
    }
  }

  private emitLines(buffer: Buffer, from: number, to: number, out: ParsedLine[]): void {
    let pos = from;
    while (pos < to) {
      const lf = buffer.indexOf(LF, pos);
      const total = lf - pos;
      if (total > this.maxLineBytes + 1) this.emitOverlong(buffer, pos, total, 1, out);
      else this.emitText(decodeUtf8(buffer, pos, lf), total, 1, out);
      pos = lf + 1;
    }
  }

  private nextLine(total: number, lineEndBytes: number): number {
    const lineStart = this.consumed;
    this.consumed += total + lineEndBytes;
    this.lineNumber++;
    this.stats.lines++;
    return lineStart;
  }

  /** One line of `total` bytes (without LF) decoded to `raw`, which may end with CR. */
  private emitText(raw: string, total: number, lineEndBytes: number, out: ParsedLine[]): void {
    const lineStart = this.nextLine(total, lineEndBytes);
    let text = raw.charCodeAt(raw.length - 1) === CR ? raw.slice(0, -1) : raw;
    if (lineStart === 0 && text.charCodeAt(0) === BOM) text = text.slice(1);
    if (total - (text.length < raw.length ? 1 : 0) > this.maxLineBytes) {
      // Only reachable by a line of exactly maxLineBytes + 1 bytes without a CR: its first
      // maxLineBytes bytes are kept, as of any longer line (the protocol takes no more).
      this.stats.overlong++;
      this.stats.unparsed++;
      const kept = Buffer.from(text, 'utf8');
      out.push(unparsed(decodeUtf8(kept, 0, Math.min(kept.length, this.maxLineBytes)), this.file, this.lineNumber, lineStart, this.consumed, 'line_too_long'));
      return;
    }
    if (isBlank(text)) {
      this.stats.blank++;
      return;
    }
    const line = readLine(text, this.file, this.lineNumber, lineStart, this.consumed);
    if (line.kind === 'record') this.stats.records++;
    else this.stats.unparsed++;
    out.push(line);
  }

  /** A line longer than the cap: its first maxLineBytes bytes are kept, unparsed. */
  private emitOverlong(buffer: Buffer, from: number, total: number, lineEndBytes: number, out: ParsedLine[]): void {
    const lineStart = this.nextLine(total, lineEndBytes);
    const start = lineStart === 0 && buffer[from] === 0xef && buffer[from + 1] === 0xbb && buffer[from + 2] === 0xbf ? from + 3 : from;
    this.stats.overlong++;
    this.stats.unparsed++;
    out.push(unparsed(decodeUtf8(buffer, start, from + this.maxLineBytes), this.file, this.lineNumber, lineStart, this.consumed, 'line_too_long'));
  }
}

const BOM = 0xfeff;
const ASCII_BLOCK_BYTES = 16 * 1024;

// Buffer#latin1Slice / #utf8Slice are what toString('utf8', …) calls after argument checks that cost more than
// the decoding itself on short lines. Invalid bytes become U+FFFD either way.
type Slicer = (this: Buffer, start: number, end: number) => string;
const prototype = Buffer.prototype as unknown as Record<string, Slicer | undefined>;
const utf8Slice: Slicer = prototype['utf8Slice'] ?? function (this: Buffer, start, end) {
  return this.toString('utf8', start, end);
};
const latin1Slice: Slicer = prototype['latin1Slice'] ?? function (this: Buffer, start, end) {
  return this.toString('latin1', start, end);
};

function decodeUtf8(buffer: Buffer, start: number, end: number): string {
  return utf8Slice.call(buffer, start, end);
}

function decodeLatin1(buffer: Buffer, start: number, end: number): string {
  return latin1Slice.call(buffer, start, end);
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
