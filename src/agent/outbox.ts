import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '../shared/zod-mini.ts';
import type { EventItem } from '../protocol/events-api.ts';
import { appendDurably as defaultAppendDurably, fsyncDir, writeFileAtomic, type AppendDurably } from './durable-fs.ts';
import { admissibleItems, parseRecord, recordHeader, recordsForBatch, serializeRecords, type RecordLimits, type RecordMeta } from './outbox-records.ts';

// The durable outbox: events read from the logs wait here, on disk, until the server has
// acknowledged them. Appends are fsynced before the reader's checkpoint moves past their lines;
// the sender drains records in order and moves the `acked` mark only after the server's answer.
// A kill -9 at any moment therefore loses nothing; at worst a record is sent twice, which the
// server's idempotency on source keys absorbs.
//
// Layout: segment files `seg-<first seq>.jsonl` of record lines (see outbox-records.ts), and
// `acked.json` naming the last acknowledged record. Appends go to the newest segment until it
// grows past SEGMENT_BYTES; segments whose records are all acknowledged are deleted.
//
// Nothing leaves the outbox unaccounted for: a record found damaged on disk (bit rot, a foreign
// edit), and an event the server would refuse however it is sent, are moved aside, line by line,
// to `quarantine.jsonl` beside the segments. `quarantined` counts its lines (the agent reports them
// in its heartbeats) until someone has looked at the file and removed it.

const SEGMENT_BYTES = 4 * 1024 * 1024;
const SEGMENT_NAME = /^seg-(\d{12})\.jsonl$/;
const ACKED_FILE = 'acked.json';
export const QUARANTINE_FILE = 'quarantine.jsonl';
const ackedSchema = z.strictObject({ seq: z.number().check(z.int(), z.minimum(0)) });

interface Segment {
  name: string;
  /** Bytes of complete records (a damaged tail after them is ignored). */
  size: number;
  lastSeq: number;
  pendingEvents: number;
  pendingBytes: number;
}

export interface OutboxBatch {
  /** The events to send (fewer than `events` only when damaged records were moved to the quarantine). */
  items: EventItem[];
  records: number;
  firstSeq: number;
  lastSeq: number;
  events: number;
  bytes: number;
  /** Records found damaged on disk (bit rot), moved to the quarantine file: their events cannot be sent. */
  damaged: number;
  segment: string;
  endPosition: number;
}

export interface OutboxOptions {
  appendDurably?: AppendDurably;
  /** Told about damaged data found on disk. */
  onDamage?: (message: string) => void;
}

export class Outbox {
  private readonly dir: string;
  private readonly appendDurably: AppendDurably;
  private readonly onDamage: (message: string) => void;
  private segments: Segment[] = [];
  /** Byte position of the first unacknowledged record in segments[0]. */
  private headPosition = 0;
  /** The segment appends go to; null: the next append starts a new one (at start, after a failed write). */
  private appendTo: Segment | null = null;
  private nextSeq = 1;
  private acked = 0;
  private quarantinedLines = 0;
  /** The damaged records already moved aside (segment:position), while they wait to be acknowledged. */
  private readonly movedAside = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, options: OutboxOptions) {
    this.dir = dir;
    this.appendDurably = options.appendDurably ?? defaultAppendDurably;
    this.onDamage = options.onDamage ?? (() => {});
  }

  static async open(dir: string, options: OutboxOptions = {}): Promise<Outbox> {
    const outbox = new Outbox(dir, options);
    await mkdir(dir, { recursive: true });
    await outbox.load();
    return outbox;
  }

  /** Events waiting to be acknowledged. */
  get depth(): number {
    return this.segments.reduce((sum, s) => sum + s.pendingEvents, 0);
  }

  /** Bytes on disk of the records waiting to be acknowledged. */
  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.pendingBytes, 0);
  }

  /** Records and events moved aside to the quarantine file (see above), not sent. */
  get quarantined(): number {
    return this.quarantinedLines;
  }

  get quarantinePath(): string {
    return join(this.dir, QUARANTINE_FILE);
  }

  /**
   * Appends events durably: resolves once they are on disk; on failure nothing counts as appended.
   * Only what the server accepts is written (see `admissibleItems`); the rest goes to the quarantine.
   */
  append(items: readonly EventItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.exclusive(async () => {
      const { admitted, refused } = admissibleItems(items);
      if (refused.length > 0) {
        await this.quarantine(refused.map((item) => JSON.stringify(item)));
        this.onDamage(`${refused.length} events the server would refuse were moved to ${this.quarantinePath}`);
      }
      if (admitted.length > 0) await this.appendNow(admitted);
    });
  }

  /** The next records to send, oldest first, within `limits` and `maxRecords`; null when empty. */
  nextBatch(limits: RecordLimits, maxRecords: number): Promise<OutboxBatch | null> {
    return this.exclusive(() => this.readBatch(limits, maxRecords));
  }

  /** The server stored the batch: its records are done with. */
  ack(batch: OutboxBatch): Promise<void> {
    return this.exclusive(() => this.ackNow(batch));
  }

  // Appends, reads and acks touch the same segments: one at a time.
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async appendNow(items: readonly EventItem[]): Promise<void> {
    const { text, records } = serializeRecords(items, this.nextSeq);
    let segment = this.appendTo;
    const isNew = segment === null || segment.size >= SEGMENT_BYTES;
    if (isNew) segment = { name: segmentName(this.nextSeq), size: 0, lastSeq: 0, pendingEvents: 0, pendingBytes: 0 };
    const current = segment as Segment;
    // The numbers are used up whatever happens: records that reached the disk before a failure
    // (a failed fsync) must never share a number with the ones written again later.
    this.nextSeq += records.length;
    try {
      await this.appendDurably(join(this.dir, current.name), text);
      if (isNew) await fsyncDir(this.dir);
    } catch (error) {
      // Part of the text may have reached the file: never append after it again. A segment this
      // append began holds nothing else: it goes, so a disk that stays full does not fill the
      // folder with a new file per attempt.
      this.appendTo = null;
      if (isNew) await rm(join(this.dir, current.name), { force: true }).catch(() => {});
      throw error;
    }
    if (isNew) this.segments.push(current);
    this.appendTo = current;
    for (const record of records) addRecord(current, record);
  }

  private async readBatch(limits: RecordLimits, maxRecords: number): Promise<OutboxBatch | null> {
    await this.dropFinishedHead();
    const head = this.segments[0];
    if (head === undefined || this.headPosition >= head.size) return null;
    const lines = await readRecordLines(join(this.dir, head.name), this.headPosition, head.size, limits.maxBytes);
    const metas: RecordMeta[] = [];
    for (const line of lines) {
      // Every line up to the segment's size passed recordHeader when it was written or loaded.
      const header = recordHeader(line.text);
      metas.push({ seq: header?.seq ?? 0, events: header?.events ?? 0, bytes: line.bytes });
    }
    const count = recordsForBatch(metas, limits, maxRecords);
    const batch: OutboxBatch = { items: [], records: count, firstSeq: 0, lastSeq: 0, events: 0, bytes: 0, damaged: 0, segment: head.name, endPosition: this.headPosition };
    const damaged: string[] = [];
    for (let i = 0; i < count; i++) {
      const line = lines[i]!;
      const meta = metas[i]!;
      const record = parseRecord(line.text);
      if (record === null) {
        batch.damaged++;
        const where = `${head.name}:${batch.endPosition}`;
        if (!this.movedAside.has(where)) {
          this.movedAside.add(where);
          damaged.push(line.text);
          this.onDamage(`outbox record damaged at ${where}: moved to ${this.quarantinePath}, its events cannot be sent`);
        }
      } else {
        batch.items.push(...record.items);
      }
      batch.firstSeq ||= meta.seq;
      batch.lastSeq = meta.seq;
      batch.events += meta.events;
      batch.bytes += meta.bytes;
      batch.endPosition += meta.bytes;
    }
    // Kept before the batch can be acknowledged (a failure here leaves it at the head, to retry).
    if (damaged.length > 0) {
      try {
        await this.quarantine(damaged);
      } catch (error) {
        for (let i = 0, at = this.headPosition; i < count; at += metas[i]!.bytes, i++) this.movedAside.delete(`${head.name}:${at}`);
        throw error;
      }
    }
    return batch;
  }

  /** Moves lines aside durably (a record that cannot be sent, an event the server would refuse). */
  private async quarantine(lines: readonly string[]): Promise<void> {
    await this.appendDurably(this.quarantinePath, lines.map((line) => `${line}\n`).join(''));
    this.quarantinedLines += lines.length;
  }

  private async ackNow(batch: OutboxBatch): Promise<void> {
    const head = this.segments[0];
    if (head === undefined || head.name !== batch.segment) throw new Error('outbox: acknowledged a batch that is not at the head');
    if (batch.lastSeq > this.acked) {
      await writeFileAtomic(join(this.dir, ACKED_FILE), JSON.stringify({ seq: batch.lastSeq }));
      this.acked = batch.lastSeq;
    }
    head.pendingEvents -= batch.events;
    head.pendingBytes -= batch.bytes;
    this.headPosition = batch.endPosition;
    this.movedAside.clear();
    await this.dropFinishedHead();
  }

  /** Deletes fully acknowledged segments at the head. */
  private async dropFinishedHead(): Promise<void> {
    for (let head = this.segments[0]; head !== undefined && this.headPosition >= head.size; head = this.segments[0]) {
      if (head === this.appendTo) {
        if (head.size === 0) return;
        this.appendTo = null;
      }
      await rm(join(this.dir, head.name), { force: true });
      this.segments.shift();
      this.headPosition = 0;
    }
  }

  private async load(): Promise<void> {
    this.acked = await this.readAcked();
    this.quarantinedLines = await countLines(this.quarantinePath);
    let lastSeq = this.acked;
    const names = (await readdir(this.dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
    for (const name of names) {
      const bytes = await readFile(join(this.dir, name));
      const segment: Segment = { name, size: 0, lastSeq: 0, pendingEvents: 0, pendingBytes: 0 };
      let firstPending = -1;
      let pos = 0;
      for (;;) {
        const lf = bytes.indexOf(0x0a, pos);
        if (lf === -1) break;
        const header = recordHeader(bytes.toString('utf8', pos, lf));
        if (header === null) break;
        const record = { seq: header.seq, events: header.events, bytes: lf + 1 - pos };
        if (record.seq > this.acked) {
          if (firstPending === -1) firstPending = pos;
          addRecord(segment, record);
        }
        lastSeq = Math.max(lastSeq, record.seq);
        pos = lf + 1;
      }
      if (pos < bytes.length) this.onDamage(`outbox segment ${name}: ignored ${bytes.length - pos} bytes of an incomplete write`);
      segment.size = pos;
      if (segment.pendingEvents === 0) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      if (this.segments.length === 0) this.headPosition = firstPending;
      this.segments.push(segment);
    }
    this.nextSeq = lastSeq + 1;
  }

  private async readAcked(): Promise<number> {
    let text: string;
    try {
      text = await readFile(join(this.dir, ACKED_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    try {
      return ackedSchema.parse(JSON.parse(text)).seq;
    } catch {
      // Re-sending acknowledged records is safe (idempotent server); skipping unsent ones is not.
      this.onDamage(`outbox ${ACKED_FILE} is damaged: every record still on disk will be sent again`);
      return 0;
    }
  }
}

async function countLines(path: string): Promise<number> {
  try {
    const bytes = await readFile(path);
    let lines = 0;
    for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, lf + 1)) lines++;
    return lines;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function addRecord(segment: Segment, record: RecordMeta): void {
  segment.size += record.bytes;
  segment.lastSeq = record.seq;
  segment.pendingEvents += record.events;
  segment.pendingBytes += record.bytes;
}

function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/** Complete record lines from `position`, about `wantBytes` of them (at least one). */
async function readRecordLines(path: string, position: number, end: number, wantBytes: number): Promise<Array<{ text: string; bytes: number }>> {
  const handle = await open(path, 'r');
  try {
    let length = Math.min(end - position, wantBytes + 64 * 1024);
    for (;;) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      const lines: Array<{ text: string; bytes: number }> = [];
      let pos = 0;
      for (let lf = buffer.indexOf(0x0a, 0); lf !== -1 && lf < bytesRead; lf = buffer.indexOf(0x0a, pos)) {
        lines.push({ text: buffer.toString('utf8', pos, lf), bytes: lf + 1 - pos });
        pos = lf + 1;
      }
      if (lines.length > 0 || length >= end - position) return lines;
      length = Math.min(end - position, length * 2);
    }
  } finally {
    await handle.close();
  }
}
