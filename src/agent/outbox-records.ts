import * as z from '../shared/zod-mini.ts';
import { eventItemSchema, MAX_BATCH_EVENTS, MAX_RAW_CHARS, type EventItem } from '../protocol/events-api.ts';

// The outbox's on-disk format and the pure decisions about it. One record per line:
//   {"seq":12,"events":3,"items":[{"event":{…},"raw":"…"},…]}\n
// `seq` orders records across segments and names what the server acknowledged; `events` comes
// first so a restart can count the outbox without parsing every event. A line without its line
// end is a write that never completed (crash, full disk): it was never acknowledged to the
// reader, whose checkpoint therefore did not move past those events; it is ignored.

export interface RecordLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Records are small so that a batch of whole records can always fit a request, also behind a
 * proxy with a 1 MB body limit (nginx's default), and a 413 can be answered by sending fewer.
 */
export const RECORD_LIMITS: RecordLimits = { maxEvents: 200, maxBytes: 128 * 1024 };

/** What the sender puts in one request, at most (whole records; at least one record). */
export const BATCH_LIMITS: RecordLimits = { maxEvents: MAX_BATCH_EVENTS, maxBytes: 512 * 1024 };

export interface RecordMeta {
  seq: number;
  events: number;
  /** Bytes of the line, line end included. */
  bytes: number;
}

/** Serialises items into record lines numbered from `firstSeq`, splitting at the record limits. */
export function serializeRecords(items: readonly EventItem[], firstSeq: number, limits: RecordLimits = RECORD_LIMITS): { text: string; records: RecordMeta[] } {
  const parts: string[] = [];
  const records: RecordMeta[] = [];
  let group: string[] = [];
  let groupBytes = 0;
  const flush = () => {
    if (group.length === 0) return;
    const seq = firstSeq + records.length;
    const line = `{"seq":${seq},"events":${group.length},"items":[${group.join(',')}]}\n`;
    parts.push(line);
    records.push({ seq, events: group.length, bytes: Buffer.byteLength(line) });
    group = [];
    groupBytes = 0;
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    const bytes = Buffer.byteLength(json) + 1;
    if (group.length > 0 && (group.length >= limits.maxEvents || groupBytes + bytes > limits.maxBytes)) flush();
    group.push(json);
    groupBytes += bytes;
  }
  flush();
  return { text: parts.join(''), records };
}

/**
 * Items exactly as the server will accept them: an event the protocol refuses (a field too long,
 * an odd value) would make its whole record unsendable, so it becomes a `line_unparsed` under the
 * same source key, its raw line kept. One that cannot even be that (its key itself is refused) is
 * returned apart, for the quarantine: never written as a record, never silently dropped.
 */
export function admissibleItems(items: readonly EventItem[]): { admitted: EventItem[]; refused: EventItem[] } {
  const admitted: EventItem[] = [];
  const refused: EventItem[] = [];
  for (const item of items) {
    if (eventItemSchema.safeParse(item).success) {
      admitted.push(item);
      continue;
    }
    const { at, source } = item.event;
    const substitute: EventItem = { event: { type: 'line_unparsed', reason: 'not_admissible', at, source }, raw: item.raw?.slice(0, MAX_RAW_CHARS) ?? null };
    if (eventItemSchema.safeParse(substitute).success) admitted.push(substitute);
    else refused.push(item);
  }
  return { admitted, refused };
}

const HEADER = /^\{"seq":(\d+),"events":(\d+),"items":\[/;

/** Reads a record line's header without parsing its events (restart: counting the outbox). */
export function recordHeader(line: string): { seq: number; events: number } | null {
  const m = HEADER.exec(line);
  if (!m || !line.endsWith(']}')) return null;
  return { seq: Number(m[1]), events: Number(m[2]) };
}

const recordSchema = z.strictObject({
  seq: z.number().check(z.int(), z.minimum(1)),
  events: z.number().check(z.int(), z.minimum(1)),
  items: z.array(eventItemSchema).check(z.minLength(1)),
});

export type OutboxRecord = z.infer<typeof recordSchema>;

/** Parses a whole record line (sending): null when it is damaged. */
export function parseRecord(line: string): OutboxRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success || parsed.data.items.length !== parsed.data.events) return null;
  return parsed.data;
}

/** How many of the next records (at least one) make one request within the limits. */
export function recordsForBatch(next: readonly RecordMeta[], limits: RecordLimits, maxRecords: number): number {
  let events = 0;
  let bytes = 0;
  let count = 0;
  for (const record of next) {
    if (count >= maxRecords) break;
    if (count > 0 && (events + record.events > limits.maxEvents || bytes + record.bytes > limits.maxBytes)) break;
    events += record.events;
    bytes += record.bytes;
    count++;
  }
  return count;
}
