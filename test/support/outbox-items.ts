import { BATCH_LIMITS } from '../../src/agent/outbox-records.ts';
import type { Outbox } from '../../src/agent/outbox.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';

// Small events for outbox tests: one per offset of the real log's file, told apart by offset.

export const OUTBOX_TEST_FILE = 'System_2020-09-11_12-26-48.log';

export const item = (offset: number): EventItem => ({
  event: { type: 'fcs_file_saved', at: '2020-09-11T10:26:48.728Z', source: { file: OUTBOX_TEST_FILE, offset, index: 0, line: offset } },
  raw: `line at ${offset}`,
});

export const items = (from: number, count: number): EventItem[] => Array.from({ length: count }, (_, i) => item(from + i));

/** Drains everything, acknowledging each batch, as the sender does; returns the items sent, in order. */
export async function drainItems(outbox: Outbox): Promise<EventItem[]> {
  const sent: EventItem[] = [];
  for (let batch = await outbox.nextBatch(BATCH_LIMITS, Infinity); batch !== null; batch = await outbox.nextBatch(BATCH_LIMITS, Infinity)) {
    sent.push(...batch.items);
    await outbox.ack(batch);
  }
  return sent;
}
