import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, hasTable, readMigrations } from './migrations.ts';
import { StoreError, toStoreError } from './store-errors.ts';

export type SqliteDatabase = Database.Database;

/** Long enough to ride out another writer's short commit, short enough that a held lock is reported, not waited on. */
export const DEFAULT_BUSY_TIMEOUT_MS = 1000;

export interface OpenDatabaseOptions {
  /** Create the file and its folder when missing (default); otherwise a missing file is an error. */
  create?: boolean;
  busyTimeoutMs?: number;
  /** Time for `schema_migrations.applied_at`. */
  now?: () => Date;
  migrationsDir?: string;
  /** Told every SQL statement run, with its values (tests that check what a path reads, and how). */
  onStatement?: (sql: string) => void;
}

/**
 * Opens (or creates) the store's SQLite file: WAL (readers never wait for the writer), foreign
 * keys on, full sync (a committed event survives a power cut: agents are told it is safe), and the
 * schema migrated. Failures come out as StoreError with the path in plain words.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  checkPath(path, options.create ?? true);
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS, ...(options.onStatement === undefined ? {} : { verbose: (sql) => options.onStatement?.(String(sql)) }) });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    if (!hasTable(db, 'schema_migrations') && hasAnyTable(db)) {
      throw new StoreError('not_a_database', `${path}: an SQLite database, but not one of attune-monitor (it has tables and no schema_migrations)`);
    }
    applyMigrations(db, readMigrations(options.migrationsDir), options.now ?? (() => new Date()));
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, path);
  }
}

function checkPath(path: string, create: boolean): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isDirectory()) throw new StoreError('cannot_open', `${path}: is a folder, not a database file`);
  // SQLite would open /dev/null, a pipe or a disk and fail later with "disk I/O error".
  if (info !== undefined && !info.isFile()) throw new StoreError('cannot_open', `${path}: is ${specialFileKind(info)}, not a database file`);
  if (info !== undefined) return;
  if (!create) throw new StoreError('not_found', `${path}: no such database (import logs into it first)`);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StoreError('cannot_open', `${path}: cannot create its folder (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

function specialFileKind(info: Stats): string {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function hasAnyTable(db: SqliteDatabase): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get() !== undefined;
}
