import { readdirSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore, StateMismatchError } from '../../src/agent/checkpoint-store.ts';
import { freshCheckpoint } from '../../src/agent/file-checkpoint.ts';
import { acquireStateLock, StateLockedError } from '../../src/agent/state-lock.ts';
import { tempDir } from '../support/test-agent.ts';

const options = { instrumentId: 'nxt-1', logsDir: '/logs' };

describe('checkpoint store on real files', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir('checkpoints');
  });
  afterEach(() => dir.cleanup());

  it('saves atomically and reads back what it saved', async () => {
    const store = await CheckpointStore.open(dir.path, options);
    store.set({ ...freshCheckpoint('System_a.log'), offset: 120, lineNumber: 3, reader: { opened: true, lastTimestamp: '2020-09-11 12:26:48.728', lastUtc: '2020-09-11T10:26:48.728Z' } });
    store.lastLineAt = '2020-09-11T10:26:49.000Z';
    await store.save();
    expect(readdirSync(dir.path)).toEqual(['checkpoints.json']);
    const again = await CheckpointStore.open(dir.path, options);
    expect(again.get('System_a.log')?.offset).toBe(120);
    expect(again.get('System_a.log')?.reader).toEqual({ opened: true, lastTimestamp: '2020-09-11 12:26:48.728', lastUtc: '2020-09-11T10:26:48.728Z' });
    expect(again.lastLineAt).toBe('2020-09-11T10:26:49.000Z');
  });

  it('refuses a state folder of another instrument', async () => {
    const store = await CheckpointStore.open(dir.path, options);
    store.set(freshCheckpoint('System_a.log'));
    await store.save();
    await expect(CheckpointStore.open(dir.path, { ...options, instrumentId: 'nxt-2' })).rejects.toBeInstanceOf(StateMismatchError);
  });

  it('sets damaged checkpoints aside and starts over (re-sending is safe, stopping is not)', async () => {
    writeFileSync(join(dir.path, 'checkpoints.json'), '{"version":1,"instr');
    const damage: string[] = [];
    const store = await CheckpointStore.open(dir.path, { ...options, onDamage: (m) => damage.push(m) });
    expect(store.get('System_a.log')).toBeUndefined();
    expect(damage).toHaveLength(1);
    expect(readdirSync(dir.path)[0]).toMatch(/^checkpoints\.json\.damaged-/);
  });
});

describe('state folder lock', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir('lock');
  });
  afterEach(() => dir.cleanup());

  it('keeps a second agent out while the first runs, and lets the next one in after', async () => {
    const lock = await acquireStateLock(dir.path);
    await expect(acquireStateLock(dir.path)).rejects.toBeInstanceOf(StateLockedError);
    await lock.release();
    await (await acquireStateLock(dir.path)).release();
  });

  it('keeps out of a folder locked by another live process', async () => {
    writeFileSync(join(dir.path, 'agent.lock'), JSON.stringify({ pid: process.ppid, boot: Date.now() - uptime() * 1000 }));
    await expect(acquireStateLock(dir.path)).rejects.toThrow(`pid ${process.ppid}`);
  });

  it('takes over a lock left by a dead agent or from before a reboot', async () => {
    writeFileSync(join(dir.path, 'agent.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, boot: Date.now() }));
    await (await acquireStateLock(dir.path)).release();
    writeFileSync(join(dir.path, 'agent.lock'), JSON.stringify({ pid: process.ppid, boot: 0 }));
    await (await acquireStateLock(dir.path)).release();
    writeFileSync(join(dir.path, 'agent.lock'), 'garbage');
    await (await acquireStateLock(dir.path)).release();
  });
});
