import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { EventTypeIds } from './event-types.ts';
import type { LogFileIds } from './log-files.ts';
import { isoOfMs, type LogEventRow } from './stored-event.ts';

const PAGE_ROWS = 10_000;
const COLUMNS = 'global_position, type_id, occurred_ms, data, file_id, source_offset, source_index, line_number';

/**
 * An instrument's log events in source order (the order its machine takes them): its files in
 * name order (launch order), each along the `event_stream_source_key` index, a page at a time.
 * Each page is read whole, so the caller may write between pages (nothing may be written while
 * a statement iterates).
 */
export class SourceOrderPages {
  private readonly page: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly files: LogFileIds,
    private readonly types: EventTypeIds,
  ) {
    this.page = db.prepare(`SELECT ${COLUMNS} FROM event_stream WHERE file_id = ? AND (source_offset, source_index) > (?, ?) ORDER BY source_offset, source_index LIMIT ${PAGE_ROWS}`).raw();
  }

  /** From the first event of `fromFile` (a log file name) when given, else from the first of all. */
  *read(instrumentId: string, fromFile?: string): Generator<LogEventRow[]> {
    for (const { file_id: fileId, name } of this.files.filesFrom(instrumentId, fromFile)) {
      let offset = Number.MIN_SAFE_INTEGER;
      let index = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = this.page.all(fileId, offset, index) as LogEventRow[];
        if (rows.length === 0) break;
        // Into the shape events have everywhere else: type names, ISO times, the file's name.
        for (const row of rows) {
          row[1] = this.types.nameOf(row[1] as unknown as number);
          row[2] = isoOfMs(row[2] as unknown as number);
          row[4] = name;
        }
        yield rows;
        if (rows.length < PAGE_ROWS) break;
        [, , , , , offset, index] = rows[rows.length - 1] as LogEventRow;
      }
    }
  }
}
