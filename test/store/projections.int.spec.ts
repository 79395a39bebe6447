import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import { readRunsReport } from '../../src/reports/read-runs-report.ts';
import { rawLinesOf } from '../../src/store/import-log-files.ts';
import type { SqliteDatabase } from '../../src/store/database.ts';
import { FIXTURE_DIR, FIXTURE_PATH, importPaths, openStore, projectionRows, shiftedFixture, sqliteOf, storeContents, tempDir } from './store-test-kit.ts';

// Regression snapshots: the tables as the code wrote them once (reviewed, not written by hand),
// so any change shows. The hand-written expectation beside them, fixtures/attune/expected-runs.json,
// is what the rules of docs/attune-logs.md give; the snapshots are checked against it below.
const snapshot = (name: string) => JSON.parse(readFileSync(new URL(`./regression-snapshots/${name}`, import.meta.url), 'utf8')) as unknown;
const HAND_WRITTEN = JSON.parse(readFileSync(new URL('../../fixtures/attune/expected-runs.json', import.meta.url), 'utf8')) as {
  runs: Array<Record<string, unknown>>;
  sessions: Array<Record<string, unknown>>;
  alerts: Array<Record<string, unknown>>;
};

describe('projections of the real fixture log', () => {
  it('agree, as snapshots, with the expectations written by hand from the rules', () => {
    const runs = snapshot('fixture.procedure_runs.json') as Array<Record<string, unknown>>;
    const fields = (row: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((name) => [name, row[name]]));
    expect(runs.map((run) => fields(run, Object.keys(HAND_WRITTEN.runs[0]!)))).toEqual(HAND_WRITTEN.runs);
    // Durations from the hand-written times.
    expect(runs.map((run) => run['duration_s'])).toEqual(HAND_WRITTEN.runs.map((run) => (run['ended_at'] === null ? null : (Date.parse(run['ended_at'] as string) - Date.parse(run['started_at'] as string)) / 1000)));
    const sessionFields = ['user', 'started_at', 'ended_at', 'end_reason'];
    expect((snapshot('fixture.user_sessions.json') as Array<Record<string, unknown>>).map((row) => fields(row, sessionFields))).toEqual(HAND_WRITTEN.sessions.map((row) => fields(row, sessionFields)));
    const alertFields = ['kind', 'raised_at'];
    expect((snapshot('fixture.alerts.json') as Array<Record<string, unknown>>).map((row) => fields(row, alertFields))).toEqual(HAND_WRITTEN.alerts.map((row) => fields(row, alertFields)));
  });

  it('match the regression snapshots of procedure_runs, user_sessions and alerts', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const db = sqliteOf(store);
    const runs = db.prepare('SELECT * FROM procedure_runs ORDER BY started_at').all();
    expect(runs).toEqual(snapshot('fixture.procedure_runs.json'));
    expect(db.prepare('SELECT * FROM user_sessions').all()).toEqual(snapshot('fixture.user_sessions.json'));
    expect(db.prepare('SELECT * FROM alerts').all()).toEqual(snapshot('fixture.alerts.json'));
    store.close();
  });

  it('hold what the rules give: 33 logged runs, 2 inferred rinses, one bubble, one session', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const db = sqliteOf(store);
    const count = (sql: string) => db.prepare(sql).pluck().get();
    expect(count("SELECT count(*) FROM procedure_runs WHERE source = 'logged'")).toBe(33);
    expect(db.prepare("SELECT procedure, outcome, count(*) AS n FROM procedure_runs WHERE source = 'logged' AND outcome != 'completed' GROUP BY 1, 2").all()).toEqual([
      { procedure: 'Calibration', outcome: 'unconfirmed', n: 3 },
      { procedure: 'Sample Recovery', outcome: 'cancelled', n: 1 },
    ]);
    expect(db.prepare("SELECT procedure, outcome FROM procedure_runs WHERE source = 'inferred'").all()).toEqual([
      { procedure: 'Rinse', outcome: 'completed' },
      { procedure: 'Rinse', outcome: 'completed' },
    ]);
    expect(count('SELECT count(*) FROM procedure_runs WHERE ended_at IS NULL OR duration_s IS NULL')).toBe(0);
    expect(db.prepare('SELECT kind, raised_at, resolved_at FROM alerts').all()).toEqual([
      { kind: 'bubble', raised_at: '2020-09-11T14:31:10.721Z', resolved_at: '2020-09-11T14:31:18.922Z' },
    ]);
    const bubbleRun = db.prepare('SELECT procedure, well, user FROM procedure_runs JOIN alerts USING (run_id)').get();
    expect(bubbleRun).toEqual({ procedure: 'Acquisition', well: null, user: 'jsmith' });
    expect(db.prepare('SELECT user, started_at, ended_at, end_reason FROM user_sessions').all()).toEqual([
      { user: 'jsmith', started_at: '2020-09-11T12:27:24.997Z', ended_at: '2020-09-11T14:57:55.397Z', end_reason: 'logout' },
    ]);
    // Sessions overlapping a period: the one above overlaps the afternoon, not the next day.
    expect(store.sessions.find({ instrumentId: 'attune-1', from: '2020-09-11T14:00:00.000Z', to: '2020-09-11T15:00:00.000Z' })).toHaveLength(1);
    expect(store.sessions.find({ from: '2020-09-12T00:00:00.000Z' })).toEqual([]);
    expect(store.sessions.find({ to: '2020-09-11T12:00:00.000Z' })).toEqual([]);
    store.close();
  });

  it('say the same as `attune-monitor runs` (the core, without a database)', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const { report } = readRunsReport(listLogFiles([FIXTURE_PATH]), 'UTC');
    const rows = store.runs.find().reverse();
    expect(rows.map((row) => [row.procedure, row.source, row.startedAt, row.endedAt, row.outcome, row.outcomeCode, row.user, row.well, row.logFile, row.steps, row.fcsFiles])).toEqual(
      report.runs.map((run) => [run.procedure, run.source, run.startedAt, run.endedAt, run.outcome, run.outcomeCode, run.user, run.well, run.logFile, run.steps, run.fcsFiles]),
    );
    store.close();
  });

  it('give procedure statistics over completed logged runs only', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const stats = sqliteOf(store).prepare("SELECT * FROM procedure_stats WHERE procedure IN ('Rinse', 'Calibration', 'Startup') ORDER BY procedure").all();
    // Rinse: 15 logged completed runs (the 2 inferred automatic rinses left out); Calibration never completes.
    expect(stats).toEqual([
      { instrument_id: 'attune-1', procedure: 'Rinse', n: 15, median_s: expect.any(Number), p90_s: expect.any(Number), last_run_at: '2020-09-11T14:52:48.315Z' },
      { instrument_id: 'attune-1', procedure: 'Startup', n: 3, median_s: 847.421, p90_s: 860.235, last_run_at: '2020-09-11T13:27:09.641Z' },
    ]);
    const rinses = sqliteOf(store)
      .prepare("SELECT duration_s FROM procedure_runs WHERE procedure = 'Rinse' AND source = 'logged' AND outcome = 'completed' ORDER BY duration_s")
      .pluck()
      .all() as number[];
    expect(rinses).toHaveLength(15);
    expect((stats[0] as { median_s: number }).median_s).toBe(rinses[7]);
    store.close();
  });
});

describe('inline projections and replay', () => {
  it('replay rebuilds rows identical to the inline ones', () => {
    const dir = tempDir();
    const second = shiftedFixture(dir, 1);
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH, second]);
    importPaths(store, 'attune-2', [second]);
    store.appendServerEvent('attune-2', 'connectivity_changed', '2020-09-12T15:00:00.000Z', { state: 'offline', reason: 'no heartbeat for 41 s', previous: 'online' });
    const inline = projectionRows(sqliteOf(store));
    const logEvents = sqliteOf(store).prepare('SELECT count(*) FROM events WHERE log_file IS NOT NULL').pluck().get();
    expect(store.replay()).toEqual({ instruments: 2, events: logEvents });
    expect(projectionRows(sqliteOf(store))).toEqual(inline);
    store.close();
  });

  it('events appended a few at a time, across restarts, give the rows of one bulk import (steps folded or not)', () => {
    const dir = tempDir();
    const second = shiftedFixture(dir, 1);
    const bulk = openStore(join(dir, 'bulk.db'));
    importPaths(bulk, 'attune-1', [FIXTURE_PATH, second]);

    // What a live agent sends: small batches, each in its own transaction; the server restarts now and then.
    const batches: Array<{ events: LogEvent[]; raws: Array<string | null> }> = [];
    readLogFiles(listLogFiles([FIXTURE_PATH, second]), {
      toUtc: localToUtcConverter('UTC'),
      onEvents: (events, lines) => {
        const raws = rawLinesOf(events, lines);
        for (let i = 0; i < events.length; i += 7) batches.push({ events: events.slice(i, i + 7), raws: raws.slice(i, i + 7) });
      },
    });
    const livePath = join(dir, 'live.db');
    let live = openStore(livePath);
    batches.forEach((batch, i) => {
      if (i % 40 === 39) {
        live.close();
        live = openStore(livePath);
      }
      live.appendLogEvents('attune-1', batch.events, batch.raws);
    });
    expect(storeContents(sqliteOf(live))).toEqual(storeContents(sqliteOf(bulk)));
    live.close();
    bulk.close();
  });

  it('keep several instruments apart in one database', () => {
    const dir = tempDir();
    const second = shiftedFixture(dir, 1);
    const alone1 = openStore(join(dir, 'one.db'));
    importPaths(alone1, 'attune-1', [FIXTURE_PATH]);
    const alone2 = openStore(join(dir, 'two.db'));
    importPaths(alone2, 'attune-2', [FIXTURE_PATH, second]);

    const shared = openStore(join(dir, 'shared.db'));
    importPaths(shared, 'attune-2', [FIXTURE_PATH]);
    importPaths(shared, 'attune-1', [FIXTURE_PATH]);
    importPaths(shared, 'attune-2', [FIXTURE_PATH, second]);

    const rowsOf = (db: SqliteDatabase, instrument: string) =>
      Object.fromEntries(
        ['procedure_runs', 'user_sessions', 'alerts', 'procedure_stats'].map((table) => [
          table,
          db.prepare(`SELECT * FROM ${table} WHERE instrument_id = ? ORDER BY 1, 2, 3`).all(instrument),
        ]),
      );
    expect(rowsOf(sqliteOf(shared), 'attune-1')).toEqual(rowsOf(sqliteOf(alone1), 'attune-1'));
    expect(rowsOf(sqliteOf(shared), 'attune-2')).toEqual(rowsOf(sqliteOf(alone2), 'attune-2'));
    const status = (db: SqliteDatabase, instrument: string) => db.prepare('SELECT status, snapshot FROM instrument_state WHERE instrument_id = ?').get(instrument);
    expect(status(sqliteOf(shared), 'attune-1')).toEqual(status(sqliteOf(alone1), 'attune-1'));
    expect(status(sqliteOf(shared), 'attune-2')).toEqual(status(sqliteOf(alone2), 'attune-2'));
    expect(sqliteOf(shared).prepare('SELECT count(*) FROM events').pluck().get()).toBe(1083 + 1084 + 1083);
    for (const store of [alone1, alone2, shared]) store.close();
  });

  it('an older file imported after a newer one gives the rows of importing them in order', () => {
    const dir = tempDir();
    const newer = shiftedFixture(dir, 1);
    const inOrder = openStore(join(dir, 'in-order.db'));
    importPaths(inOrder, 'attune-1', [FIXTURE_PATH]);
    importPaths(inOrder, 'attune-1', [newer]);
    const outOfOrder = openStore(join(dir, 'out-of-order.db'));
    importPaths(outOfOrder, 'attune-1', [newer]);
    importPaths(outOfOrder, 'attune-1', [FIXTURE_PATH]);
    expect(storeContents(sqliteOf(outOfOrder))).toEqual(storeContents(sqliteOf(inOrder)));
    expect(sqliteOf(outOfOrder).prepare('SELECT count(*) FROM procedure_runs').pluck().get()).toBe(70);

    // The same with the older file's end known: a folder import after the newest file alone.
    const folder = openStore(join(dir, 'folder.db'));
    importPaths(folder, 'attune-1', [FIXTURE_PATH, newer]);
    const newestFirst = openStore(join(dir, 'newest-first.db'));
    importPaths(newestFirst, 'attune-1', [newer]);
    importPaths(newestFirst, 'attune-1', [FIXTURE_PATH, newer]);
    expect(storeContents(sqliteOf(newestFirst))).toEqual(storeContents(sqliteOf(folder)));
    for (const store of [inOrder, outOfOrder, folder, newestFirst]) store.close();
  });

  it('a rebuild and the event reader go through more than one page of events, in source order', () => {
    const dir = tempDir();
    const files = [FIXTURE_PATH, ...Array.from({ length: 10 }, (_, i) => shiftedFixture(dir, i + 1))];
    const inOrder = openStore(join(dir, 'in-order.db'));
    importPaths(inOrder, 'attune-1', files);
    const reversed = openStore(join(dir, 'reversed.db'));
    for (const file of [...files].reverse()) importPaths(reversed, 'attune-1', [file]);
    importPaths(reversed, 'attune-1', files);
    expect(storeContents(sqliteOf(reversed))).toEqual(storeContents(sqliteOf(inOrder)));

    const read: LogEvent[] = [];
    readLogFiles(listLogFiles(files), { toUtc: localToUtcConverter('UTC'), onEvents: (events) => read.push(...events) });
    const stored = [...reversed.logEvents('attune-1')];
    expect(stored.length).toBeGreaterThan(10_000);
    expect(stored).toEqual(read);
    inOrder.close();
    reversed.close();
  });

  it('restart from the stored snapshot: the same status, without replaying', () => {
    const path = join(tempDir(), 'store.db');
    const store = openStore(path);
    importPaths(store, 'attune-1', [FIXTURE_DIR]);
    const before = store.instrumentStatus('attune-1');
    store.close();
    // Proof that nothing is replayed: the events are gone (behind the store's back).
    const raw = new Database(path);
    raw.exec('DROP TRIGGER event_stream_is_never_deleted; DELETE FROM event_stream;');
    raw.close();
    const reopened = openStore(path);
    expect(reopened.instrumentStatus('attune-1')).toEqual(before);
    expect(reopened.instrumentStatus('nobody')).toBeNull();
    reopened.close();
  });
});
