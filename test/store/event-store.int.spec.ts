import { copyFileSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events/log-events.ts';
import { StoreError } from '../../src/store/store-errors.ts';
import { appendFileEvents, FIXTURE_NAME, FIXTURE_PATH, importPaths, openStore, projectionRows, sqliteOf, storeContents, tempDir } from './store-test-kit.ts';

const FIXTURE_BYTES = readFileSync(FIXTURE_PATH);

describe('appending log events', () => {
  it('stores each event once with its source key, line and raw text', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    const summary = importPaths(store, 'attune-1', [FIXTURE_PATH]);
    expect(summary).toMatchObject({ files: 1, lines: 1212, records: 1212, unparsed: 0, appended: 1083, duplicates: 0 });
    const first = sqliteOf(store).prepare('SELECT * FROM events ORDER BY global_position LIMIT 1').get();
    expect(first).toEqual({
      global_position: 1,
      instrument_id: 'attune-1',
      type: 'log_opened',
      occurred_at: '2020-09-11T12:26:48.000Z',
      data: '{}',
      recorded_at: '2024-01-02T03:04:05.678Z',
      log_file: FIXTURE_NAME,
      source_offset: 0,
      source_index: -1,
      line_number: 0,
      raw: null,
    });
    const start = sqliteOf(store).prepare("SELECT data, source_offset, line_number, raw FROM events WHERE type = 'procedure_started' ORDER BY global_position LIMIT 1").get();
    expect(start).toEqual({
      data: '{"procedure":"Startup"}',
      source_offset: 8259,
      line_number: 103,
      raw: '2020-09-11 12:30:07.648,Info,jsmith,Instrument,Event:Starting_Startup,4132',
    });
    // Every event but log_opened/log_ended keeps the very line it came from.
    const lines = FIXTURE_BYTES.toString('utf8').split('\n');
    const rows = sqliteOf(store).prepare("SELECT line_number, raw FROM events WHERE type NOT IN ('log_opened', 'log_ended')").all() as Array<{ line_number: number; raw: string }>;
    expect(rows.every((row) => row.raw === lines[row.line_number - 1])).toBe(true);
    store.close();
  });

  it('importing the same files again appends nothing and changes no row', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const before = storeContents(sqliteOf(store));
    const again = importPaths(store, 'attune-1', [FIXTURE_PATH]);
    expect(again).toMatchObject({ appended: 0, duplicates: 1083 });
    expect(storeContents(sqliteOf(store))).toEqual(before);
    store.close();
  });

  // Cut mid-line, on a line end, inside a run, and inside a UTF-8 character (`™` on line 3).
  const cuts = [Math.floor(FIXTURE_BYTES.length * 0.6), FIXTURE_BYTES.indexOf('\n', 50_000) + 1, 9_000, FIXTURE_BYTES.indexOf('™') + 1];
  it('a batch that comes back to a file skips the lines it already sent in it (files A, B, then A again)', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    const login = (file: string, offset: number, user: string): LogEvent => ({ type: 'login', user, at: '2024-01-01T00:00:00.000Z', source: { file, offset, index: 0, line: 1 } });
    const [a, b] = ['System_2024-01-01_00-00-00.log', 'System_2024-01-02_00-00-00.log'];
    expect(store.appendLogEvents('attune-1', [login(a, 10, 'ada'), login(b, 10, 'bo'), login(a, 10, 'ada'), login(a, 20, 'cy')])).toEqual({ appended: 3, duplicates: 1 });
    expect(store.appendLogEvents('attune-1', [login(a, 10, 'ada')])).toEqual({ appended: 0, duplicates: 1 });
    const rows = sqliteOf(store).prepare('SELECT log_file, source_offset FROM events ORDER BY global_position').raw().all();
    expect(rows).toEqual([[a, 10], [b, 10], [a, 20]]);
    store.close();
  });

  it.each(cuts)('a file imported in two parts (cut at byte %i) equals it imported whole', (cut) => {
    const dir = tempDir();
    const whole = openStore(join(dir, 'whole.db'));
    importPaths(whole, 'attune-1', [FIXTURE_PATH]);

    const growing = join(dir, FIXTURE_NAME);
    writeFileSync(growing, FIXTURE_BYTES.subarray(0, cut));
    const parts = openStore(join(dir, 'parts.db'));
    const first = importPaths(parts, 'attune-1', [growing]);
    expect(first.appended).toBeGreaterThan(0);
    appendFileSync(growing, FIXTURE_BYTES.subarray(cut));
    const second = importPaths(parts, 'attune-1', [growing]);
    expect(first.appended + second.appended).toBe(1083);
    expect(second.duplicates).toBe(first.appended);
    expect(storeContents(sqliteOf(parts))).toEqual(storeContents(sqliteOf(whole)));
    whole.close();
    parts.close();
  });

  it('an open run is stored with its progress so far, and closed when the rest arrives', () => {
    const dir = tempDir();
    const growing = join(dir, FIXTURE_NAME);
    // Line 164 closes the first Startup (opened on line 103): stop 20 lines before.
    const cut = nthLineEnd(FIXTURE_BYTES, 144);
    writeFileSync(growing, FIXTURE_BYTES.subarray(0, cut));
    const store = openStore(join(dir, 'store.db'));
    importPaths(store, 'attune-1', [growing]);
    const open = sqliteOf(store).prepare('SELECT procedure, ended_at, duration_s, outcome, steps FROM procedure_runs').all();
    expect(open).toEqual([{ procedure: 'Startup', ended_at: null, duration_s: null, outcome: null, steps: 37 }]);
    const status = store.instrumentStatus('attune-1');
    expect(status?.run).toMatchObject({ procedure: 'Startup', steps: 37 });
    appendFileSync(growing, FIXTURE_BYTES.subarray(cut));
    importPaths(store, 'attune-1', [growing]);
    expect(sqliteOf(store).prepare("SELECT outcome, steps FROM procedure_runs WHERE run_id LIKE '%@8259'").get()).toEqual({ outcome: 'completed', steps: 56 });
    store.close();
  });

  it('keeps server events (no source key) in order, never merged, and replays them like the rest', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const offline = { state: 'offline', reason: 'no heartbeat for 41 s', previous: 'online' };
    const position = store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00.000Z', offline);
    const again = store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00.000Z', offline);
    expect([position, again]).toEqual([1084, 1085]);
    expect(sqliteOf(store).prepare('SELECT type, data, log_file, source_offset, source_index, line_number, raw FROM events WHERE global_position = 1084').get()).toEqual({
      type: 'connectivity_changed',
      data: '{"state":"offline","reason":"no heartbeat for 41 s","previous":"online"}',
      log_file: null,
      source_offset: null,
      source_index: null,
      line_number: null,
      raw: null,
    });
    expect(sqliteOf(store).prepare('SELECT DISTINCT last_position FROM projection_checkpoints').pluck().all()).toEqual([1085]);
    const inline = projectionRows(sqliteOf(store));
    expect(inline.instrument_connectivity).toEqual([{ instrument_id: 'attune-1', state: 'offline', reason: 'no heartbeat for 41 s', since: '2020-09-11T15:00:00.000Z', last_position: 1085 }]);
    store.replay();
    expect(projectionRows(sqliteOf(store))).toEqual(inline);
    expect(() => store.appendServerEvent('attune-1', 'login', '2020-09-11T15:00:00.000Z')).toThrow(/log event type/);
    // Connectivity data is checked with the append: refused whole, nothing stored.
    expect(() => store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:01:00.000Z', { state: 'asleep' })).toThrow(/not valid/);
    expect(sqliteOf(store).prepare('SELECT count(*) FROM events').pluck().get()).toBe(1085);
    store.close();
  });

  it('rejects an invalid instrument id before storing anything', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    expect(() => importPaths(store, '../etc', [FIXTURE_PATH])).toThrow(/invalid instrument id/);
    expect(sqliteOf(store).prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    store.close();
  });

  it('a transaction that fails keeps nothing, and the cached machine is not trusted afterwards', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'store.db'));
    const half = join(dir, FIXTURE_NAME);
    const cut = nthLineEnd(FIXTURE_BYTES, 600);
    writeFileSync(half, FIXTURE_BYTES.subarray(0, cut));
    importPaths(store, 'attune-1', [half]);
    const before = storeContents(sqliteOf(store));
    appendFileSync(half, FIXTURE_BYTES.subarray(cut));
    let appended = 0;
    expect(() =>
      store.transaction(() => {
        appended = appendFileEvents(store, 'attune-1', [half]);
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(appended).toBeGreaterThan(0);
    expect(storeContents(sqliteOf(store))).toEqual(before);
    // The machine went past the failed events in memory; the next append must start from the stored state.
    importPaths(store, 'attune-1', [half]);
    const whole = openStore(join(dir, 'whole.db'));
    importPaths(whole, 'attune-1', [FIXTURE_PATH]);
    expect(storeContents(sqliteOf(store))).toEqual(storeContents(sqliteOf(whole)));
    store.close();
    whole.close();
  });

  it('another writer between two transactions is noticed: its events are not missed by the cached machine', () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    const half = join(dir, FIXTURE_NAME);
    writeFileSync(half, FIXTURE_BYTES.subarray(0, nthLineEnd(FIXTURE_BYTES, 400)));
    const first = openStore(path);
    importPaths(first, 'attune-1', [half]);
    // A second process (here: a second store on the same file) appends more.
    writeFileSync(half, FIXTURE_BYTES.subarray(0, nthLineEnd(FIXTURE_BYTES, 800)));
    const second = openStore(path);
    importPaths(second, 'attune-1', [half]);
    second.close();
    copyFileSync(FIXTURE_PATH, half);
    importPaths(first, 'attune-1', [half]);
    const whole = openStore(join(dir, 'whole.db'));
    importPaths(whole, 'attune-1', [FIXTURE_PATH]);
    expect(storeContents(sqliteOf(first))).toEqual(storeContents(sqliteOf(whole)));
    first.close();
    whole.close();
  });
});

describe('sharing the database with other processes', () => {
  it('a reader on another connection reads the last committed state while an import writes (WAL)', () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    const store = openStore(path);
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const reader = new Database(path, { readonly: true, timeout: 100 });
    const count = reader.prepare('SELECT count(*) FROM events').pluck();
    const runs = reader.prepare('SELECT count(*) FROM procedure_runs').pluck();
    const seen: Array<[unknown, unknown]> = [];
    store.transaction(() => {
      appendFileEvents(store, 'attune-2', [FIXTURE_PATH]);
      // Mid-transaction: the writer holds the lock; the reader neither waits nor sees half of it.
      seen.push([count.get(), runs.get()]);
    });
    seen.push([count.get(), runs.get()]);
    expect(seen).toEqual([
      [1083, 35],
      [2166, 70],
    ]);
    reader.close();
    store.close();
  });

  it('a database locked by another writer gives a clear error quickly, and nothing is half-written', () => {
    const path = join(tempDir(), 'store.db');
    const store = openStore(path, { busyTimeoutMs: 100 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    let error: unknown;
    try {
      importPaths(store, 'attune-1', [FIXTURE_PATH]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('locked');
    expect((error as Error).message).toMatch(/locked by another process/);
    expect(Date.now() - started).toBeLessThan(5_000);
    other.exec('ROLLBACK');
    other.close();
    expect(sqliteOf(store).prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    expect(importPaths(store, 'attune-1', [FIXTURE_PATH]).appended).toBe(1083);
    store.close();
  });
});

function nthLineEnd(bytes: Buffer, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = bytes.indexOf('\n', at + 1);
  return at + 1;
}

