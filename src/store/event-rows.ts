import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

/** Rows per INSERT statement: one statement's overhead shared by many rows, its parameters few. */
export const ROWS_PER_INSERT = 32;

const COLUMNS = ['instrument_id', 'type_id', 'occurred_ms', 'data', 'recorded_ms', 'file_id', 'source_offset', 'source_index', 'line_number', 'raw', 'local_offset_min'] as const;


/**
 * Appends rows to `event_stream` several per statement. The caller has made sure no row's source
 * key is stored already (a conflict is an error, not a skip), so that positions follow: the rows of
 * one statement get consecutive positions, the last one SQLite reports.
 */
export class EventRowInserter {
  private readonly statements = new Map<number, Statement>();
  private readonly params: Array<string | number | null> = [];
  private rows = 0;

  constructor(private readonly db: SqliteDatabase) {}

  get buffered(): number {
    return this.rows;
  }

  /** One `event_stream` row, as stored (migrations/009); its values as arguments, not an array: one per event. */
  add(
    instrumentId: string | null,
    typeId: number,
    occurredMs: number,
    data: string,
    recordedMs: number,
    fileId: number | null,
    sourceOffset: number | null,
    sourceIndex: number | null,
    lineNumber: number | null,
    raw: string | null,
    localOffsetMin: number | null,
  ): void {
    this.params.push(instrumentId, typeId, occurredMs, data, recordedMs, fileId, sourceOffset, sourceIndex, lineNumber, raw, localOffsetMin);
    this.rows++;
  }

  /** Inserts the rows added; returns the position of the first of them (undefined when there were none). */
  flush(): number | undefined {
    const rows = this.rows;
    if (rows === 0) return undefined;
    try {
      return Number(this.statementFor(rows).run(this.params).lastInsertRowid) - rows + 1;
    } finally {
      this.params.length = 0;
      this.rows = 0;
    }
  }

  /** Forgets rows added and not inserted (the transaction failed). */
  discard(): void {
    this.params.length = 0;
    this.rows = 0;
  }

  private statementFor(rows: number): Statement {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const values = `(${COLUMNS.map(() => '?').join(', ')})`;
      statement = this.db.prepare(`INSERT INTO event_stream (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => values).join(', ')}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
