import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { LogEventRow } from './stored-event.ts';

const PAGE_ROWS = 10_000;
const COLUMNS = 'global_position, type, occurred_at, data, log_file, source_offset, source_index, line_number';
const ORDER = 'ORDER BY log_file, source_offset, source_index';

/**
 * An instrument's log events in source order (the order its machine takes them), read along the
 * `events_source_key` index a page at a time: each page is read whole, so the caller may write
 * between pages (nothing may be written while a statement iterates).
 */
export class SourceOrderPages {
  private readonly first: Statement;
  private readonly next: Statement;

  constructor(db: SqliteDatabase) {
    this.first = db.prepare(`SELECT ${COLUMNS} FROM events WHERE instrument_id = ? AND log_file IS NOT NULL ${ORDER} LIMIT ${PAGE_ROWS}`).raw();
    this.next = db.prepare(`SELECT ${COLUMNS} FROM events WHERE instrument_id = ? AND (log_file, source_offset, source_index) > (?, ?, ?) ${ORDER} LIMIT ${PAGE_ROWS}`).raw();
  }

  *read(instrumentId: string): Generator<LogEventRow[]> {
    let rows = this.first.all(instrumentId) as LogEventRow[];
    while (rows.length > 0) {
      yield rows;
      if (rows.length < PAGE_ROWS) return;
      const [, , , , file, offset, index] = rows[rows.length - 1] as LogEventRow;
      rows = this.next.all(instrumentId, file, offset, index) as LogEventRow[];
    }
  }
}
