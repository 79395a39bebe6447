import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateFromEvents, estimateFromRuns } from '../../src/estimates/estimate-at.ts';
import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { replayTimelines } from '../../src/estimates/run-timeline-reader.ts';
import { ranToEnd } from '../../src/estimates/run-timeline.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { MIGRATIONS_DIR } from '../../src/store/migrations.ts';
import { fixedClock, FIXTURE_NAME, FIXTURE_PATH, importPaths, openStore, shiftedFixture, sqliteOf, tempDir } from './store-test-kit.ts';

const FIXTURE_BYTES = readFileSync(FIXTURE_PATH);
const INSTRUMENT = 'attune-1';

/** The fixture cut after its n-th line end. */
function cutAfterLine(n: number): Buffer {
  let at = -1;
  for (let i = 0; i < n; i++) at = FIXTURE_BYTES.indexOf(0x0a, at + 1);
  return FIXTURE_BYTES.subarray(0, at + 1);
}

/** What the store's projection says, and what a replay of every stored event says, as of the last event. */
function bothEstimates(store: EventStore) {
  const asOf = store.instrumentStatus(INSTRUMENT)!.asOf!;
  const { closed, open } = store.runTimelines(INSTRUMENT);
  const fromReplay = estimateFromEvents(store.logEvents(INSTRUMENT), asOf);
  // As the server reads it: a history whose runs' steps are read only when needed.
  const opened = store.openRunTimeline(INSTRUMENT);
  expect(opened === null ? null : estimateRun(store.estimatorHistory(INSTRUMENT), opened, asOf)).toEqual(fromReplay);
  return { asOf, fromProjection: estimateFromRuns(closed, open, asOf), fromReplay };
}

// The server reads the estimator's history from `run_steps` at start instead of replaying the events
// whatever way the events arrived, it must say exactly what a replay says.
describe('the run_steps projection', () => {
  it('gives the estimate a replay of the events gives, at every cut of a growing log', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, INSTRUMENT, [shiftedFixture(dir, -2), shiftedFixture(dir, -1)]);
    const growing = join(dir, FIXTURE_NAME);
    let estimates = 0;
    for (let lines = 40; lines <= 1212; lines += 120) {
      writeFileSync(growing, cutAfterLine(Math.min(lines, 1212)));
      importPaths(store, INSTRUMENT, [growing]);
      const { fromProjection, fromReplay } = bothEstimates(store);
      expect(fromProjection).toEqual(fromReplay);
      if (fromReplay !== null && fromReplay.estimatedEnd !== null) estimates++;
    }
    // Not a comparison of nulls: most cuts fall inside a run with past runs of its kind.
    expect(estimates).toBeGreaterThan(5);
    store.close();
  });

  it('holds the timelines a replay gives: the closed runs that ran to their end, and the open one', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    const files = [shiftedFixture(dir, -1), FIXTURE_PATH];
    importPaths(store, INSTRUMENT, files);
    writeFileSync(join(dir, 'System_2020-09-12_09-00-00.log'), cutAfterLine(300).toString('utf8').replace(/^2020-09-11/gm, '2020-09-12'));
    importPaths(store, INSTRUMENT, [join(dir, 'System_2020-09-12_09-00-00.log')]);
    const replayed = replayTimelines(store.logEvents(INSTRUMENT));
    const { closed, open } = store.runTimelines(INSTRUMENT);
    const byEnd = (list: typeof replayed.closed) => [...list].sort((a, b) => (a.endedAt! < b.endedAt! ? -1 : a.endedAt! > b.endedAt! ? 1 : a.id < b.id ? -1 : 1));
    expect([...closed]).toEqual(byEnd(replayed.closed.filter((run) => ranToEnd(run.outcome))));
    expect(open).not.toBeNull();
    expect(open).toEqual(replayed.open);
    store.close();
  });

  it('comes out the same from a replay as kept inline', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, INSTRUMENT, [shiftedFixture(dir, -1)]);
    writeFileSync(join(dir, FIXTURE_NAME), cutAfterLine(700));
    importPaths(store, INSTRUMENT, [join(dir, FIXTURE_NAME)]);
    const rows = () => sqliteOf(store).prepare('SELECT * FROM run_steps ORDER BY run_id').all();
    const inline = rows();
    expect(inline.length).toBeGreaterThan(30);
    store.replay();
    expect(rows()).toEqual(inline);
    store.close();
  });

  it('is built at the first open of a database from before it (schema 6), from the events stored there', () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    // The database as the previous version left it: written with the migrations up to 006 only.
    const previous = join(dir, 'migrations-006');
    cpSync(MIGRATIONS_DIR, previous, { recursive: true });
    for (const file of readdirSync(previous)) if (Number(file.slice(0, 3)) > 6) rmSync(join(previous, file));
    openDatabase(path, { now: fixedClock, migrationsDir: previous }).close();
    const reference = openStore(join(dir, 'reference.db'));
    importPaths(reference, INSTRUMENT, [shiftedFixture(dir, -1), FIXTURE_PATH]);
    copyEventsAtSchema6(reference, path);

    const store = openStore(path);
    expect(sqliteOf(store).prepare('SELECT count(*) FROM run_steps').pluck().get()).toBeGreaterThan(30);
    expect(store.runTimelines(INSTRUMENT)).toEqual(reference.runTimelines(INSTRUMENT));
    const { fromProjection, fromReplay } = bothEstimates(store);
    expect(fromProjection).toEqual(fromReplay);
    store.close();
    reference.close();
  });
});

/** The reference store's events written into a database at schema 6, as that version stored them (no projections). */
function copyEventsAtSchema6(from: EventStore, path: string): void {
  const db = openDatabase(path, { now: fixedClock, migrationsDir: join(path, '..', 'migrations-006') });
  const insert = db.prepare(`INSERT INTO events (instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index, line_number, raw)
    VALUES (@instrument_id, @type, @occurred_at, @data, @recorded_at, @log_file, @source_offset, @source_index, @line_number, @raw)`);
  const rows = sqliteOf(from).prepare('SELECT * FROM events ORDER BY global_position').all();
  db.transaction(() => rows.forEach((row) => insert.run(row)))();
  db.close();
}
