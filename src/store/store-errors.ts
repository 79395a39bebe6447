import Database from 'better-sqlite3';

export type StoreErrorKind = 'locked' | 'not_a_database' | 'not_found' | 'cannot_open' | 'disk_full' | 'read_only' | 'corrupt' | 'schema_too_new';

/** A database problem worth telling the user in plain words; nothing of the failed transaction was kept. */
export class StoreError extends Error {
  readonly kind: StoreErrorKind;

  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.kind = kind;
  }
}

/** The StoreError an SQLite failure on `path` stands for, or the error itself when it is not one of those. */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof StoreError || !(error instanceof Database.SqliteError)) return error;
  // Extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE…) share their primary code's prefix.
  const primary = error.code.split('_', 2).join('_');
  const cause = { cause: error };
  switch (primary) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError('locked', `${path}: the database is locked by another process writing to it (an import or the server); try again when it is done`, cause);
    case 'SQLITE_NOTADB':
      return new StoreError('not_a_database', `${path}: not a database (not an SQLite file)`, cause);
    case 'SQLITE_CANTOPEN':
      return new StoreError('cannot_open', `${path}: cannot open the database (${error.message})`, cause);
    case 'SQLITE_FULL':
      return new StoreError('disk_full', `${path}: the disk is full; the transaction was rolled back, nothing of it was written`, cause);
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new StoreError('read_only', `${path}: the database cannot be written (${error.message})`, cause);
    case 'SQLITE_CORRUPT':
      return new StoreError('corrupt', `${path}: the database file is damaged (${error.message})`, cause);
    default:
      return error;
  }
}
