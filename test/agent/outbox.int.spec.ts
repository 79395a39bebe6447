import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendDurably } from '../../src/agent/durable-fs.ts';
import { BATCH_LIMITS } from '../../src/agent/outbox-records.ts';
import { Outbox } from '../../src/agent/outbox.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { drainItems, item, items } from '../support/outbox-items.ts';
import { tempDir } from '../support/test-agent.ts';


/** Drains everything, acknowledging each batch; returns the offsets sent, in order. */
const drain = async (outbox: Outbox): Promise<number[]> => (await drainItems(outbox)).map((i) => i.event.source.offset);

describe('durable outbox on real files', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir('outbox');
  });
  afterEach(() => dir.cleanup());

  it('keeps appended events across a reopen, in order, until acknowledged', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append(items(0, 450));
    await outbox.append(items(450, 10));
    expect(outbox.depth).toBe(460);
    const reopened = await Outbox.open(dir.path);
    expect(reopened.depth).toBe(460);
    expect(reopened.bytes).toBe(outbox.bytes);
    expect(await drain(reopened)).toEqual(items(0, 460).map((i) => i.event.source.offset));
    expect(reopened.depth).toBe(0);
    expect(reopened.bytes).toBe(0);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('seg-'))).toEqual([]);
  });

  it('resumes after the last acknowledged record, and a batch not acknowledged comes again', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append(items(0, 600));
    const first = await outbox.nextBatch({ maxEvents: 200, maxBytes: 1 << 20 }, Infinity);
    await outbox.ack(first!);
    const unacked = await outbox.nextBatch({ maxEvents: 200, maxBytes: 1 << 20 }, Infinity);
    expect(unacked!.items[0]!.event.source.offset).toBe(200);
    // kill -9 here: the second batch was sent but never acknowledged.
    const reopened = await Outbox.open(dir.path);
    expect(reopened.depth).toBe(400);
    expect((await drain(reopened))[0]).toBe(200);
  });

  it('ignores a record cut short by a crash and appends after it in a new segment', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append(items(0, 3));
    const [segment] = readdirSync(dir.path).filter((n) => n.startsWith('seg-'));
    appendFileSync(join(dir.path, segment!), '{"seq":2,"events":5,"items":[{"event":{"ty');
    const damage: string[] = [];
    const reopened = await Outbox.open(dir.path, { onDamage: (m) => damage.push(m) });
    expect(damage).toEqual([expect.stringContaining('incomplete write')]);
    expect(reopened.depth).toBe(3);
    await reopened.append(items(3, 2));
    expect(await drain(reopened)).toEqual([0, 1, 2, 3, 4]);
  });

  it('loses nothing when the disk is full: the failed append counts for nothing and later appends go elsewhere', async () => {
    let full = false;
    const outbox = await Outbox.open(dir.path, {
      appendDurably: async (path, data) => {
        if (!full) return appendDurably(path, data);
        // A full disk can take part of a write before failing.
        appendFileSync(path, data.slice(0, 25));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    await outbox.append(items(0, 2));
    full = true;
    await expect(outbox.append(items(2, 2))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(outbox.depth).toBe(2);
    full = false;
    await outbox.append(items(2, 2));
    expect(await drain(outbox)).toEqual([0, 1, 2, 3]);
    await outbox.append(items(4, 1));
    const reopened = await Outbox.open(dir.path);
    expect(await drain(reopened)).toEqual([4]);
  });

  it('never reuses a record number after a write whose fsync failed', async () => {
    let failAfterWrite = false;
    const outbox = await Outbox.open(dir.path, {
      appendDurably: async (path, data) => {
        await appendDurably(path, data);
        if (failAfterWrite) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
    });
    await outbox.append(items(0, 2));
    failAfterWrite = true;
    await expect(outbox.append(items(2, 2))).rejects.toMatchObject({ code: 'EIO' });
    failAfterWrite = false;
    // The reader did not advance: it reads the same lines again, and more.
    await outbox.append(items(2, 3));
    // After a restart the bytes that did reach the disk come back too (sent twice, stored once).
    // Acknowledging them must not count as acknowledging what was written again after them.
    const reopened = await Outbox.open(dir.path);
    const first = await reopened.nextBatch(BATCH_LIMITS, 2);
    expect(first!.items.map((i) => i.event.source.offset)).toEqual([0, 1, 2, 3]);
    await reopened.ack(first!);
    expect(await drain(await Outbox.open(dir.path))).toEqual([2, 3, 4]);
  });

  it('skips a damaged record when sending and says so', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append(items(0, 1));
    const [segment] = readdirSync(dir.path).filter((n) => n.startsWith('seg-'));
    const path = join(dir.path, segment!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('fcs_file_saved', 'fcs_file_savex'));
    await outbox.append(items(1, 1));
    const damage: string[] = [];
    const reopened = await Outbox.open(dir.path, { onDamage: (m) => damage.push(m) });
    expect(await drain(reopened)).toEqual([1]);
    expect(damage).toEqual([expect.stringContaining('damaged')]);
  });

  it('rolls over to new segments and deletes the ones fully acknowledged', async () => {
    const outbox = await Outbox.open(dir.path);
    const big = (offset: number): EventItem => ({ ...item(offset), raw: 'z'.repeat(60_000) });
    for (let i = 0; i < 90; i++) await outbox.append([big(i)]);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('seg-')).length).toBeGreaterThan(1);
    expect(await drain(outbox)).toHaveLength(90);
    expect(readdirSync(dir.path).filter((n) => n.startsWith('seg-'))).toEqual([]);
  });
});
