import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import type { SqliteDatabase } from '../../src/store/database.ts';
import { EventStore, type EventStoreOptions } from '../../src/store/event-store.ts';
import { importLogFiles, rawLinesOf, type ImportSummary } from '../../src/store/import-log-files.ts';

export const FIXTURE_DIR = new URL('../../fixtures/attune/', import.meta.url).pathname;
export const FIXTURE_NAME = 'System_2020-09-11_12-26-48.log';
export const FIXTURE_PATH = join(FIXTURE_DIR, FIXTURE_NAME);

const made: string[] = [];
const readers = new Map<string, SqliteDatabase>();
afterEach(() => {
  for (const db of readers.values()) db.close();
  readers.clear();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The store's SQLite file as a test reads it: a read-only connection of the test's own (the store
 * keeps its connection to itself), which sees every committed transaction. Closed after the test.
 */
export function sqliteOf(store: EventStore): SqliteDatabase {
  let db = readers.get(store.path);
  if (db === undefined || !db.open) {
    db = new Database(store.path, { readonly: true, fileMustExist: true });
    readers.set(store.path, db);
  }
  return db;
}

/** A fresh folder under the system temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attune-store-test-'));
  made.push(dir);
  return dir;
}

/** A fixed clock: `recorded_at` is the same in every test run. */
export const fixedClock = () => new Date('2024-01-02T03:04:05.678Z');

export function openStore(path: string, options: EventStoreOptions = {}): EventStore {
  return EventStore.open(path, { now: fixedClock, ...options });
}

export function importPaths(store: EventStore, instrumentId: string, paths: string[]): ImportSummary {
  return importLogFiles(store, instrumentId, listLogFiles(paths), { toUtc: localToUtcConverter('UTC') });
}

/** Appends the files' events in the transaction in progress (or one per chunk); returns how many were new. */
export function appendFileEvents(store: EventStore, instrumentId: string, paths: string[]): number {
  let appended = 0;
  readLogFiles(listLogFiles(paths), {
    toUtc: localToUtcConverter('UTC'),
    onEvents: (events, lines) => {
      appended += store.appendLogEvents(instrumentId, events, rawLinesOf(events, lines)).appended;
    },
  });
  return appended;
}

/**
 * The real fixture moved by whole days, saved under the name of its new launch time in `dir`:
 * another launch of the same instrument, with different times and the same shape.
 */
export function shiftedFixture(dir: string, days: number): string {
  const shift = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const text = readFileSync(FIXTURE_PATH, 'utf8').replace(/^\d{4}-\d{2}-\d{2}/gm, (date) => shift(date));
  const path = join(dir, `System_${shift('2020-09-11')}_12-26-48.log`);
  writeFileSync(path, text);
  return path;
}

const PROJECTION_ORDER: Record<string, string> = {
  procedure_runs: 'run_id',
  user_sessions: 'instrument_id, started_at, user',
  alerts: 'alert_id',
  instrument_state: 'instrument_id',
  procedure_stats: 'instrument_id, procedure',
  projection_checkpoints: 'projection, instrument_id',
  instrument_connectivity: 'instrument_id',
};

/** Every projection's rows, in key order. */
export function projectionRows(db: SqliteDatabase): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(PROJECTION_ORDER).map(([table, order]) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all()]));
}

/** The events as stored, in source order, without what depends on arrival (position, time of recording). */
export function eventRows(db: SqliteDatabase): unknown[] {
  return db
    .prepare(
      `SELECT instrument_id, type, occurred_at, data, log_file, source_offset, source_index, line_number, raw FROM events
       ORDER BY instrument_id, log_file, source_offset, source_index, global_position`,
    )
    .all();
}

/** What a store holds, arrival aside. Positions in projections depend only on how many events there are. */
export function storeContents(db: SqliteDatabase): { events: unknown[]; projections: Record<string, unknown[]> } {
  return { events: eventRows(db), projections: projectionRows(db) };
}
