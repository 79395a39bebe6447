import { describe, expect, it } from 'vitest';
import { parseRecord, recordHeader, recordsForBatch, serializeRecords } from '../../src/agent/outbox-records.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';

const item = (offset: number, raw = 'x'): EventItem => ({
  event: { type: 'login', user: 'jsmith', at: '2020-09-11T10:26:48.728Z', source: { file: 'System_2020-09-11_12-26-48.log', offset, index: 0, line: offset + 1 } },
  raw,
});

describe('outbox records', () => {
  it('serialises items into numbered lines whose header can be read without parsing the events', () => {
    const { text, records } = serializeRecords([item(1), item(2), item(3)], 7, { maxEvents: 2, maxBytes: 1 << 20 });
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(records.map((r) => [r.seq, r.events])).toEqual([
      [7, 2],
      [8, 1],
    ]);
    expect(records.map((r) => r.bytes)).toEqual(lines.slice(0, 2).map((l) => Buffer.byteLength(l) + 1));
    expect(recordHeader(lines[0]!)).toEqual({ seq: 7, events: 2 });
    expect(parseRecord(lines[1]!)?.items).toEqual([item(3)]);
  });

  it('splits by size and keeps an item bigger than the limit whole, alone', () => {
    const big = item(2, 'y'.repeat(5000));
    const { records } = serializeRecords([item(1), big, item(3)], 1, { maxEvents: 100, maxBytes: 1000 });
    expect(records.map((r) => r.events)).toEqual([1, 1, 1]);
  });

  it('refuses damaged lines', () => {
    const { text } = serializeRecords([item(1)], 1);
    const line = text.slice(0, -1);
    expect(recordHeader(line.slice(0, 40))).toBeNull();
    expect(parseRecord(line.replace('"events":1', '"events":2'))).toBeNull();
    expect(parseRecord(line.replace('"login"', '"logon"'))).toBeNull();
    expect(parseRecord('{"seq":1,')).toBeNull();
  });

  it('fills a batch with whole records within the limits, at least one', () => {
    const metas = [10, 10, 10, 10].map((events, i) => ({ seq: i + 1, events, bytes: 100 }));
    expect(recordsForBatch(metas, { maxEvents: 25, maxBytes: 1000 }, Infinity)).toBe(2);
    expect(recordsForBatch(metas, { maxEvents: 1000, maxBytes: 250 }, Infinity)).toBe(2);
    expect(recordsForBatch(metas, { maxEvents: 1000, maxBytes: 1000 }, 3)).toBe(3);
    expect(recordsForBatch([{ seq: 1, events: 5000, bytes: 1 << 30 }], { maxEvents: 10, maxBytes: 10 }, Infinity)).toBe(1);
    expect(recordsForBatch([], { maxEvents: 10, maxBytes: 10 }, Infinity)).toBe(0);
  });
});
