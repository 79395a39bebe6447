import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteDatabase } from './database.ts';
import { StoreError } from './store-errors.ts';

/** One numbered SQL file of `migrations/`: `002_projections.sql` is version 2, named `projections`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The migrations in `dir`, by version; versions must run 1, 2, 3… with no gap or repeat. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), name: match[2] as string, sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) throw new Error(`${dir}: migration ${String(i + 1).padStart(3, '0')} is missing or doubled (found ${migration.version}_${migration.name})`);
  });
  return migrations;
}

/**
 * Brings the schema up to date: the migrations not yet recorded in `schema_migrations` are
 * applied in order, in one write transaction, each recorded with its time. Re-running applies
 * nothing. Returns the versions applied now.
 */
export function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[], now: () => Date): number[] {
  const pending = () => {
    const applied = appliedVersions(db);
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((version) => !known.has(version));
    if (unknown.length > 0) {
      throw new StoreError('schema_too_new', `the database has schema version ${Math.max(...unknown)}, newer than this program knows (${migrations.length}); update attune-monitor`);
    }
    return migrations.filter((m) => !applied.has(m.version));
  };
  // Read first, outside a write lock: an up-to-date database is opened without ever writing.
  if (pending().length === 0) return [];
  return db
    .transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
      // Again under the lock: another process may have migrated in between.
      const todo = pending();
      const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const migration of todo) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, now().toISOString());
      }
      return todo.map((m) => m.version);
    })
    .immediate();
}

function appliedVersions(db: SqliteDatabase): Set<number> {
  if (!hasTable(db, 'schema_migrations')) return new Set();
  return new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
}

export function hasTable(db: SqliteDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
