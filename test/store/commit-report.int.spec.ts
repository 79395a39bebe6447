import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import { replayTimelines } from '../../src/estimates/run-timeline-reader.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import type { MonitorOutput } from '../../src/machines/monitor-types.ts';
import type { InstrumentCommit } from '../../src/store/projector.ts';
import { FIXTURE_NAME, FIXTURE_PATH, importPaths, openStore, shiftedFixture, tempDir } from './store-test-kit.ts';

// The live server learns what each append changed from the store itself (its machine's outputs),
// so the feed and the projections can never disagree.

const FIXTURE_BYTES = readFileSync(FIXTURE_PATH);

function fixtureEvents(path: string): LogEvent[] {
  const events: LogEvent[] = [];
  readLogFiles(listLogFiles([path]), { toUtc: localToUtcConverter('UTC'), onEvents: (batch) => events.push(...batch) });
  return events;
}

/** Cuts the fixture after its n-th line end. */
function cutAfterLine(n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = FIXTURE_BYTES.indexOf(0x0a, at + 1);
  return at + 1;
}

describe('a commit listener', () => {
  it('hears, after each commit, the log events it stored and the machine outputs they caused', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    const commits: InstrumentCommit[] = [];
    store.onCommit((reported) => commits.push(...reported));
    const growing = join(dir, FIXTURE_NAME);
    for (const lines of [300, 700, 1212]) {
      writeFileSync(growing, FIXTURE_BYTES.subarray(0, cutAfterLine(lines)));
      importPaths(store, 'attune-1', [growing]);
    }
    // The same events, one by one through a machine of its own: the same outputs, in order.
    const monitor = new Monitor();
    const expected: MonitorOutput[] = [];
    for (const event of fixtureEvents(FIXTURE_PATH)) expected.push(...monitor.feed(event));
    expect(commits.map((c) => c.instrumentId)).toEqual(['attune-1', 'attune-1', 'attune-1']);
    expect(commits.every((c) => !c.rebuilt)).toBe(true);
    expect(commits.flatMap((c) => c.appended)).toEqual(fixtureEvents(FIXTURE_PATH));
    expect(commits.flatMap((c) => c.outputs)).toEqual(expected);
    // And the runs' timelines, as a replay of the same events gives them.
    const replayed = replayTimelines(fixtureEvents(FIXTURE_PATH));
    expect(commits.flatMap((c) => c.closedRuns)).toEqual(replayed.closed);
    expect(commits[2]!.openRun).toEqual(replayed.open);
    expect(commits.map((c) => [c.previousPosition, c.lastPosition])).toEqual([
      [0, commits[0]!.lastPosition],
      [commits[0]!.lastPosition, commits[1]!.lastPosition],
      [commits[1]!.lastPosition, 1083],
    ]);
    store.close();
  });

  it('hears nothing of duplicates, of a transaction rolled back, or once removed', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const commits: InstrumentCommit[] = [];
    store.onCommit((reported) => commits.push(...reported));
    expect(importPaths(store, 'attune-1', [FIXTURE_PATH]).duplicates).toBe(1083);
    expect(commits).toEqual([]);
    expect(() =>
      store.transaction(() => {
        store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00.000Z', { state: 'online', reason: null, previous: null });
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(commits).toEqual([]);
    store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00.000Z', { state: 'online', reason: null, previous: null });
    expect(commits).toEqual([
      { instrumentId: 'attune-1', appended: [], outputs: [], closedRuns: [], openRun: store.runTimelines('attune-1').open, rebuilt: false, previousPosition: 1083, lastPosition: 1084 },
    ]);
    store.onCommit(null);
    store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:01:00.000Z', { state: 'late', reason: null, previous: 'online' });
    expect(commits).toHaveLength(1);
    store.close();
  });

  it('is told an instrument was rebuilt (no outputs) when an older file arrives after a newer one', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    const newer = shiftedFixture(dir, 1);
    const older = join(dir, FIXTURE_NAME);
    copyFileSync(FIXTURE_PATH, older);
    importPaths(store, 'attune-1', [newer]);
    const commits: InstrumentCommit[] = [];
    store.onCommit((reported) => commits.push(...reported));
    importPaths(store, 'attune-1', [older]);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ instrumentId: 'attune-1', rebuilt: true, outputs: [] });
    expect(commits[0]!.appended).toHaveLength(1083);
    store.close();
  });
});
