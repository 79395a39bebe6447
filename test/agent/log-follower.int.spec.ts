import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHealth } from '../../src/agent/agent-health.ts';
import { CheckpointStore } from '../../src/agent/checkpoint-store.ts';
import { isNetworkPath, LogFollower } from '../../src/agent/log-follower.ts';
import { Outbox } from '../../src/agent/outbox.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { attuneLine, localTime, LogFileWriter } from '../support/attune-log-writer.ts';
import { TEST_ZONE } from '../support/test-agent.ts';

// The follower at rest: the followed file is looked at on every poll (an append is read at the
// next one), while the folder is listed only every `listEveryMs` or on a change notification.
// Also given as a UNC-style path (`//…`, the same folder to Linux): a network share's quiet poll
// stats on the thread pool instead of the event loop, with the same results.
describe.each([
  ['a local folder', (path: string) => path],
  ['a network path', (path: string) => `/${path}`],
])('log follower polling (%s)', (_kind, asGiven) => {
  let dir: string;
  let logsDir: string;
  let now: number;
  let follower: LogFollower;
  let outbox: Outbox;
  const signal = new AbortController().signal;
  const LIST_EVERY_MS = 5000;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'log-follower-'));
    logsDir = join(dir, 'logs');
    mkdirSync(logsDir);
    now = 1_000_000;
    const checkpoints = await CheckpointStore.open(join(dir, 'state'), { instrumentId: 'i1', logsDir });
    outbox = await Outbox.open(join(dir, 'state', 'outbox'));
    follower = new LogFollower({
      logsDir: asGiven(logsDir),
      toUtc: localToUtcConverter(TEST_ZONE),
      outbox,
      checkpoints,
      outboxMaxBytes: 1024 * 1024,
      chunkBytes: 64 * 1024,
      health: new AgentHealth(),
      log: pino({ level: 'silent' }),
      clock: { now: () => now },
      onAppended: () => {},
      listEveryMs: LIST_EVERY_MS,
    });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const line = (iso: string, message: string) => attuneLine({ at: localTime(iso), message });

  it('reads an append at the next poll while the folder listing is not due, and sees a new file only when it is', async () => {
    const first = new LogFileWriter(logsDir, 'System_2024-03-04_08-00-00.log');
    first.appendLines([line('2024-03-04T08:00:01', 'login')]);
    await follower.poll(signal);
    const afterFirst = follower.bytesRead;
    expect(afterFirst).toBeGreaterThan(0);

    // At rest: nothing read.
    now += 250;
    await follower.poll(signal);
    expect(follower.bytesRead).toBe(afterFirst);

    // An append: read at the very next poll, no listing due.
    first.appendLines([line('2024-03-04T08:00:02', 'Rinse initiated')]);
    now += 250;
    await follower.poll(signal);
    expect(follower.bytesRead).toBeGreaterThan(afterFirst);
    const followed = await follower.followedFile();
    expect(followed?.offset).toBe(followed?.size);

    // A relaunch: not seen before the listing is due (or a change notification)…
    const second = new LogFileWriter(logsDir, 'System_2024-03-04_09-00-00.log');
    second.appendLines([line('2024-03-04T09:00:01', 'login')]);
    const beforeRelaunch = follower.bytesRead;
    now += 250;
    await follower.poll(signal);
    expect(follower.bytesRead).toBe(beforeRelaunch);
    expect((await follower.followedFile())?.file).toBe(first.name);
    // …then listed: the first file is ended and the new one followed.
    now += LIST_EVERY_MS;
    await follower.poll(signal);
    expect((await follower.followedFile())?.file).toBe(second.name);
    expect(follower.bytesRead).toBeGreaterThan(beforeRelaunch);
  });

  it('lists the folder at once after a change notification', async () => {
    new LogFileWriter(logsDir, 'System_2024-03-04_08-00-00.log').appendLines([line('2024-03-04T08:00:01', 'login')]);
    await follower.poll(signal);
    const second = new LogFileWriter(logsDir, 'System_2024-03-04_09-00-00.log');
    second.appendLines([line('2024-03-04T09:00:01', 'login')]);
    follower.markFolderChanged();
    now += 250;
    await follower.poll(signal);
    expect((await follower.followedFile())?.file).toBe(second.name);
  });

  it('notices at rest that the followed file was truncated and rewritten, and reads it again', async () => {
    const name = 'System_2024-03-04_08-00-00.log';
    const file = new LogFileWriter(logsDir, name);
    file.appendLines([line('2024-03-04T08:00:01', 'login'), line('2024-03-04T08:00:02', 'Rinse initiated')]);
    await follower.poll(signal);
    const read = follower.bytesRead;
    truncateSync(join(logsDir, name), 0);
    writeFileSync(join(logsDir, name), `${line('2024-03-04T08:30:00', 'login')}\r\n`);
    now += 250;
    await follower.poll(signal);
    expect(follower.bytesRead).toBeGreaterThan(read);
    expect((await follower.followedFile())?.offset).toBe(Buffer.byteLength(`${line('2024-03-04T08:30:00', 'login')}\r\n`));
  });
});

describe('isNetworkPath', () => {
  it('is a UNC path, in either slash', () => {
    expect(['\\\\server\\share\\logs', '//server/share/logs', '\\\\?\\UNC\\server\\share'].map(isNetworkPath)).toEqual([true, true, true]);
    expect(['D:\\AttuneLogs', 'C:/logs', '/var/log/attune', 'logs', '\\logs', '///x'].map(isNetworkPath)).toEqual([false, false, false, false, false, false]);
  });
});
