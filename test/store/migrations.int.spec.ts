import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { MIGRATIONS_DIR, readMigrations } from '../../src/store/migrations.ts';
import { StoreError } from '../../src/store/store-errors.ts';
import { fixedClock, tempDir } from './store-test-kit.ts';

const TABLES = [
  'agent_heartbeats',
  'agent_tokens',
  'alerts',
  'event_stream',
  'event_types',
  'instrument_connectivity',
  'instrument_state',
  'log_files',
  'procedure_runs',
  'procedure_stats',
  'projection_checkpoints',
  'run_steps',
  'schema_migrations',
  'slack_alert_messages',
  'slack_alert_outbox',
  'slack_free_subscriptions',
  'slack_home_viewers',
  'user_sessions',
];
const VERSIONS = [
  [1, 'events'],
  [2, 'projections'],
  [3, 'agent_tokens'],
  [4, 'connectivity'],
  [5, 'slack_messages'],
  [6, 'slack_outbox'],
  [7, 'run_steps'],
  [8, 'compact_events'],
  [9, 'compact_lines'],
] as const;

function tables(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

describe('schema migrations', () => {
  it('creates the whole schema in an empty database, records each migration, and turns WAL and foreign keys on', () => {
    const path = join(tempDir(), 'sub', 'folder', 'store.db');
    const db = openDatabase(path, { now: fixedClock });
    expect(tables(db)).toEqual(TABLES);
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
      VERSIONS.map(([version, name]) => ({ version, name, applied_at: '2024-01-02T03:04:05.678Z' })),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('is a no-op when run again: nothing applied, nothing re-recorded', () => {
    const path = join(tempDir(), 'store.db');
    openDatabase(path, { now: fixedClock }).close();
    const later = () => new Date('2030-01-01T00:00:00.000Z');
    const db = openDatabase(path, { now: later });
    expect(db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
      VERSIONS.map(([version]) => ({ version, applied_at: '2024-01-02T03:04:05.678Z' })),
    );
    expect(tables(db)).toEqual(TABLES);
    db.close();
  });

  it('applies only the migrations a database lacks, in order', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const path = join(dir, 'store.db');
    openDatabase(path, { now: fixedClock, migrationsDir: migrations }).close();
    const next = readMigrations(migrations).length + 1;
    writeFileSync(join(migrations, `${String(next).padStart(3, '0')}_extra.sql`), 'CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT;');
    const db = openDatabase(path, { now: () => new Date('2030-01-01T00:00:00.000Z'), migrationsDir: migrations });
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations WHERE version = ?').get(next)).toEqual({
      version: next,
      name: 'extra',
      applied_at: '2030-01-01T00:00:00.000Z',
    });
    db.close();
  });

  it('refuses a database migrated by a newer program', () => {
    const path = join(tempDir(), 'store.db');
    const db = openDatabase(path, { now: fixedClock });
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2031-01-01T00:00:00.000Z')").run();
    db.close();
    expect(() => openDatabase(path)).toThrow(/schema version 99, newer than this program/);
  });

  it('refuses a migrations folder with a gap', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '003_c.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/migration 002 is missing/);
  });

  it('refuses an SQLite file of another program instead of adding tables to it', () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    expect(() => openDatabase(path)).toThrow(StoreError);
    expect(() => openDatabase(path)).toThrow(/not one of attune-monitor/);
  });

  it('refuses a file that is not a database, and leaves it untouched', () => {
    const path = join(tempDir(), 'notes.txt');
    const text = 'this is a text file, not a database\n'.repeat(50);
    writeFileSync(path, text);
    expect(() => openDatabase(path)).toThrow(/not a database/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('keeps events append-only: updates and deletes are refused', () => {
    const db = openDatabase(join(tempDir(), 'store.db'));
    db.prepare(
      "INSERT INTO events (instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index) VALUES ('a', 'login', '2020-01-01T00:00:00.000Z', '{}', '2020-01-01T00:00:00.000Z', 'System_x.log', 0, 0)",
    ).run();
    expect(() => db.prepare("UPDATE events SET type = 'logout'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    db.close();
  });

  it('refuses an event with half a source key', () => {
    const db = openDatabase(join(tempDir(), 'store.db'));
    expect(() =>
      db
        .prepare(
          "INSERT INTO events (instrument_id, type, occurred_at, data, recorded_at, log_file) VALUES ('a', 'login', '2020-01-01T00:00:00.000Z', '{}', '2020-01-01T00:00:00.000Z', 'System_x.log')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});
