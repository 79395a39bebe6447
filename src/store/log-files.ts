import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

/**
 * The ids of log files in `log_files` (a file's name is stored once, its events carry the id).
 * Ids are remembered per instrument and name; one made in a transaction that rolls back is
 * forgotten with it (`forgetUncommitted`).
 */
export class LogFileIds {
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly select: Statement;
  private readonly insert: Statement;
  private readonly latest: Statement;
  private readonly ofInstrument: Statement;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare('SELECT file_id FROM log_files WHERE instrument_id = ? AND name = ?').pluck();
    this.insert = db.prepare('INSERT INTO log_files (instrument_id, name) VALUES (?, ?)');
    this.latest = db.prepare('SELECT file_id, name FROM log_files WHERE instrument_id = ? ORDER BY name DESC LIMIT 1');
    this.ofInstrument = db.prepare('SELECT file_id, name FROM log_files WHERE instrument_id = ? AND name >= ? ORDER BY name');
  }

  /** The file's id, made on first use (inside the store's write transaction). */
  idOf(instrumentId: string, name: string): number {
    let byName = this.ids.get(instrumentId);
    if (byName === undefined) this.ids.set(instrumentId, (byName = new Map()));
    let id = byName.get(name);
    if (id === undefined) {
      id = (this.select.get(instrumentId, name) as number | undefined) ?? Number(this.insert.run(instrumentId, name).lastInsertRowid);
      byName.set(name, id);
    }
    return id;
  }

  /** The instrument's files from `fromName` on, in launch order (name order). */
  filesFrom(instrumentId: string, fromName = ''): Array<{ file_id: number; name: string }> {
    return this.ofInstrument.all(instrumentId, fromName) as Array<{ file_id: number; name: string }>;
  }

  /** The instrument's newest file (by name), or undefined when it has none. */
  newest(instrumentId: string): { file_id: number; name: string } | undefined {
    return this.latest.get(instrumentId) as { file_id: number; name: string } | undefined;
  }

  /** A transaction rolled back: ids it made no longer exist. */
  forgetUncommitted(): void {
    this.ids.clear();
  }
}
