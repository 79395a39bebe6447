import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { MIGRATIONS_DIR } from '../../src/store/migrations.ts';
import { fixedClock, FIXTURE_PATH, importPaths, openStore, sqliteOf, storeContents, tempDir } from './store-test-kit.ts';

const CASES = new URL('../../fixtures/cases/', import.meta.url).pathname;
// Its line at byte 689 holds two events (`Event:Rinse_Done~0` glued to the next message).
const GLUED = join(CASES, 'quoting-bom-crlf');

/** A store with every kind of row: log events (one line with two events), two instruments, a server event. */
function referenceStore(path: string): EventStore {
  const store = openStore(path, { now: fixedClock });
  importPaths(store, 'attune-1', [FIXTURE_PATH]);
  importPaths(store, 'attune-2', [GLUED, join(CASES, 'crash-relaunch')]);
  store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00.000Z', { state: 'online', reason: null, previous: null });
  return store;
}

const countOf = (store: EventStore, sql: string) => sqliteOf(store).prepare(sql).pluck().get() as number;

describe('the compact event store (migration 008)', () => {
  it('keeps a line’s text once however many events it yields, and shows it on each through `events`', () => {
    const store = referenceStore(join(tempDir(), 'store.db'));
    const glued = sqliteOf(store).prepare("SELECT source_index, raw FROM events WHERE instrument_id = 'attune-2' AND source_offset = 689 AND log_file LIKE 'System_2021-03-05%' ORDER BY source_index").all() as Array<{ source_index: number; raw: string }>;
    expect(glued.map((row) => row.source_index)).toEqual([0, 1]);
    expect(glued[1]!.raw).toBe(glued[0]!.raw);
    expect(glued[0]!.raw).toContain('_Done~0');
    // Stored once per line: as many texts as lines that gave events.
    const lines = countOf(store, "SELECT count(*) FROM (SELECT DISTINCT log_file, source_offset FROM events WHERE type NOT IN ('log_opened', 'log_ended') AND log_file IS NOT NULL)");
    expect(countOf(store, 'SELECT count(*) FROM event_stream WHERE raw IS NOT NULL')).toBe(lines);
    expect(countOf(store, 'SELECT count(*) FROM events WHERE raw IS NOT NULL')).toBe(lines + 1);
    // Each file name once.
    expect(countOf(store, 'SELECT count(*) FROM log_files')).toBe(4);
    store.close();
  });

  it('migrates a database of the previous schema (7): the same events through `events`, the same projections', () => {
    const dir = tempDir();
    const reference = referenceStore(join(dir, 'reference.db'));
    const expected = storeContents(sqliteOf(reference));
    const rows = sqliteOf(reference).prepare('SELECT * FROM events ORDER BY global_position').all();

    // The previous version's database: migrations up to 007, every event with its raw line in `events`.
    const previous = join(dir, 'migrations-007');
    cpSync(MIGRATIONS_DIR, previous, { recursive: true });
    for (const file of readdirSync(previous)) if (Number(file.slice(0, 3)) > 7) rmSync(join(previous, file));
    const path = join(dir, 'store.db');
    const old = openDatabase(path, { now: fixedClock, migrationsDir: previous });
    expect(old.prepare("SELECT type FROM sqlite_master WHERE name = 'events'").pluck().get()).toBe('table');
    const insert = old.prepare(`INSERT INTO events (global_position, instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index, line_number, raw)
      VALUES (@global_position, @instrument_id, @type, @occurred_at, @data, @recorded_at, @log_file, @source_offset, @source_index, @line_number, @raw)`);
    old.transaction(() => rows.forEach((row) => insert.run(row)))();
    old.close();

    const migrated = openStore(path, { now: fixedClock });
    expect(sqliteOf(migrated).prepare('SELECT * FROM events ORDER BY global_position').all()).toEqual(rows);
    expect(storeContents(sqliteOf(migrated))).toEqual(expected);
    expect(countOf(migrated, 'SELECT count(*) FROM event_stream WHERE raw IS NOT NULL')).toBe(countOf(reference, 'SELECT count(*) FROM event_stream WHERE raw IS NOT NULL'));
    // And it goes on as a store: the same lines again are duplicates.
    expect(importPaths(migrated, 'attune-1', [FIXTURE_PATH])).toMatchObject({ appended: 0, duplicates: 1083 });
    migrated.close();
    reference.close();
  });

  it('refuses a time it could not store unchanged', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    expect(() => store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-11T15:00:00Z', {})).toThrow(/not a UTC time/);
    store.close();
  });
});
