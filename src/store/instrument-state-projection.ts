import type { Statement } from 'better-sqlite3';
import { instrumentStatus, type InstrumentStatus } from '../machines/instrument-status.ts';
import type { PersistedMonitor } from '../machines/monitor.ts';
import type { SqliteDatabase } from './database.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';
import type { SourcePosition } from '../shared/source-order.ts';

export interface InstrumentStateRow {
  instrument_id: string;
  /** JSON of InstrumentStatus. */
  status: string;
  as_of: string | null;
  last_position: number;
  /** JSON of PersistedMonitor. */
  snapshot: string;
  last_log_file: string | null;
  last_source_offset: number | null;
  last_source_index: number | null;
}

/** What the projector needs to pick an instrument up where it was: its machine and how far it got. */
export interface StoredProgress {
  persisted: PersistedMonitor;
  lastPosition: number;
  lastSource: SourcePosition | null;
}

/** One row per instrument: its status for people, and its machine's snapshot for the next restart. */
export class InstrumentStateProjection implements Projection {
  readonly name = 'instrument_state';
  private readonly upsert: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO instrument_state (instrument_id, status, as_of, last_position, snapshot, last_log_file, last_source_offset, last_source_index)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (instrument_id) DO UPDATE SET
        status = excluded.status, as_of = excluded.as_of, last_position = excluded.last_position, snapshot = excluded.snapshot,
        last_log_file = excluded.last_log_file, last_source_offset = excluded.last_source_offset, last_source_index = excluded.last_source_index`);
    this.clear = rowsDeleter(db, this.name);
  }

  flush({ instrumentId, monitor, lastPosition, lastSource }: InstrumentProgress): void {
    this.upsert.run(
      instrumentId,
      JSON.stringify(instrumentStatus(monitor)),
      monitor.lastEventAt,
      lastPosition,
      JSON.stringify(monitor.persist()),
      lastSource?.file ?? null,
      lastSource?.offset ?? null,
      lastSource?.index ?? null,
    );
  }
}

/** Reads where the projections of an instrument stand: `lastPosition` alone (cheap), or everything to restore its machine. */
export class StoredProgressReader {
  private readonly position: Statement;
  private readonly row: Statement;

  constructor(db: SqliteDatabase) {
    this.position = db.prepare('SELECT last_position FROM instrument_state WHERE instrument_id = ?').pluck();
    this.row = db.prepare('SELECT snapshot, last_position, last_log_file, last_source_offset, last_source_index FROM instrument_state WHERE instrument_id = ?');
  }

  lastPosition(instrumentId: string): number | undefined {
    return this.position.get(instrumentId) as number | undefined;
  }

  read(instrumentId: string): StoredProgress | undefined {
    const row = this.row.get(instrumentId) as Pick<InstrumentStateRow, 'snapshot' | 'last_position' | 'last_log_file' | 'last_source_offset' | 'last_source_index'> | undefined;
    if (row === undefined) return undefined;
    return {
      persisted: JSON.parse(row.snapshot) as PersistedMonitor,
      lastPosition: row.last_position,
      lastSource:
        row.last_log_file === null ? null : { file: row.last_log_file, offset: row.last_source_offset as number, index: row.last_source_index as number },
    };
  }
}

/** An instrument's stored status (`instrument_state`). */
export interface StoredInstrumentState {
  instrumentId: string;
  status: InstrumentStatus;
  asOf: string | null;
  /** The global position of the last event applied. */
  lastPosition: number;
}

/** The read side of `instrument_state`. */
export class InstrumentStateReadModel {
  private readonly everyState: Statement;
  private readonly everyPosition: Statement;

  constructor(db: SqliteDatabase) {
    this.everyState = db.prepare('SELECT instrument_id AS instrumentId, status, as_of AS asOf, last_position AS lastPosition FROM instrument_state ORDER BY instrument_id');
    this.everyPosition = db.prepare('SELECT instrument_id, last_position FROM instrument_state').raw();
  }

  /** Every instrument's stored status, by id. */
  all(): StoredInstrumentState[] {
    const rows = this.everyState.all() as Array<Omit<StoredInstrumentState, 'status'> & { status: string }>;
    return rows.map((row) => ({ ...row, status: JSON.parse(row.status) as InstrumentStatus }));
  }

  /** How far each instrument's state has got (its last event's global position): cheap, read every few seconds. */
  positions(): Array<[instrumentId: string, lastPosition: number]> {
    return this.everyPosition.all() as Array<[string, number]>;
  }
}
