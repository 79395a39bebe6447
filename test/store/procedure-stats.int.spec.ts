import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events/log-events.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { appendFileEvents, importPaths, openStore, shiftedFixture, sqliteOf, tempDir } from './store-test-kit.ts';

/** The stats as kept, then as a replay computes them from `procedure_runs` in one pass: they must agree. */
function keptAndReplayed(store: EventStore): { kept: unknown[]; replayed: unknown[] } {
  const read = () => sqliteOf(store).prepare('SELECT * FROM procedure_stats ORDER BY instrument_id, procedure').all();
  const kept = read();
  store.replay();
  return { kept, replayed: read() };
}

/** Launches of the real log a day apart, in `dir`. */
function launches(dir: string, days: number): string[] {
  return Array.from({ length: days }, (_, day) => shiftedFixture(dir, day));
}

describe('procedure_stats kept file by file', () => {
  it('an import of many files (a transaction each) gives the stats of a replay', () => {
    const dir = tempDir();
    const files = launches(dir, 6);
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', files);
    const { kept, replayed } = keptAndReplayed(store);
    expect(kept.length).toBeGreaterThan(3);
    // Six launches of the same log: each procedure's n is six times one launch's.
    expect(kept).toContainEqual(expect.objectContaining({ procedure: 'Acquisition', n: 6 * 8 }));
    expect(kept).toEqual(replayed);
    store.close();
  });

  it('stay right when another process writes the same instrument between two of ours', () => {
    const dir = tempDir();
    const files = launches(dir, 4);
    const path = join(dir, 'store.db');
    const ours = openStore(path);
    const theirs = openStore(path);
    importPaths(ours, 'attune-1', [files[0]!]);
    importPaths(theirs, 'attune-1', [files[1]!]);
    importPaths(ours, 'attune-1', [files[2]!]);
    importPaths(theirs, 'attune-1', [files[3]!]);
    importPaths(ours, 'attune-2', [files[0]!]);
    theirs.close();
    const { kept, replayed } = keptAndReplayed(ours);
    expect(kept).toEqual(replayed);
    ours.close();
  });

  it('forget what a rolled-back transaction counted', () => {
    const dir = tempDir();
    const files = launches(dir, 3);
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', [files[0]!]);
    expect(() =>
      store.transaction(() => {
        appendFileEvents(store, 'attune-1', [files[1]!]);
        throw new Error('the disk is full');
      }),
    ).toThrow('the disk is full');
    importPaths(store, 'attune-1', [files[1]!, files[2]!]);
    const { kept, replayed } = keptAndReplayed(store);
    expect(kept).toEqual(replayed);
    store.close();
  });

  it('stay right across a rebuild (an older file after newer ones) and the files after it', () => {
    const dir = tempDir();
    const files = launches(dir, 4);
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', [files[0]!, files[2]!]);
    importPaths(store, 'attune-1', [files[1]!]);
    importPaths(store, 'attune-1', [files[3]!]);
    const { kept, replayed } = keptAndReplayed(store);
    expect(kept).toEqual(replayed);
    store.close();
  });

  it('read each pair once when events arrive in small batches, as an agent sends them (most close no run)', () => {
    const dir = tempDir();
    const events: LogEvent[] = [];
    readLogFiles(listLogFiles(launches(dir, 3)), { toUtc: localToUtcConverter('UTC'), onEvents: (chunk) => events.push(...chunk) });
    let durationReads = 0;
    const store = openStore(join(dir, 'store.db'), { onStatement: (sql) => void (sql.includes('SELECT run_id, duration_s') && durationReads++) });
    for (let i = 0; i < events.length; i += 20) store.appendLogEvents('attune-1', events.slice(i, i + 20));
    const readsWhileAppending = durationReads;
    const { kept, replayed } = keptAndReplayed(store);
    expect(kept).toEqual(replayed);
    // Once per procedure when first completed, not again after a batch that completed nothing.
    expect(readsWhileAppending).toBe(kept.length);
    store.close();
  });
});
