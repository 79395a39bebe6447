import type { RunTimeline } from '../estimates/run-timeline.ts';
import type { Monitor } from '../machines/monitor.ts';
import type { SqliteDatabase } from './database.ts';
import type { MonitorOutput } from '../machines/monitor-types.ts';
import type { SourcePosition } from '../shared/source-order.ts';

/** Where an instrument stands once a transaction's events are applied. */
export interface InstrumentProgress {
  instrumentId: string;
  monitor: Monitor;
  /** The open run's steps and waits so far (null when no run is open). */
  openTimeline: RunTimeline | null;
  /** global_position of the last event applied before this transaction, as stored at its start (0 for a rebuild). */
  previousPosition: number;
  /** global_position of the last event applied (the highest, whatever order they came in). */
  lastPosition: number;
  /** Source key of the last log event applied, in source order. */
  lastSource: SourcePosition | null;
}

/**
 * A table kept from the machines' outputs. The projector calls `apply` for each output as events
 * are applied, `flush` once per transaction for each instrument that moved, and `clear` before
 * rebuilding. Whatever order of calls a set of events produces, inline or by replay, the rows
 * must come out the same.
 */
export interface Projection {
  /** Its table, also its name in `projection_checkpoints`. */
  readonly name: string;
  apply?(instrumentId: string, output: MonitorOutput): void;
  /** A run just closed, with its steps and waits (after the `run_closed` output that closed it). */
  applyTimeline?(instrumentId: string, run: RunTimeline): void;
  flush?(progress: InstrumentProgress): void;
  /** Deletes the instrument's rows, or every row when no instrument is named. */
  clear(instrumentId?: string): void;
  /** Forgets work held for the current transaction (it rolled back). */
  discard?(): void;
}

/** `clear` for a table with an `instrument_id` column. */
export function rowsDeleter(db: SqliteDatabase, table: string): (instrumentId?: string) => void {
  const one = db.prepare(`DELETE FROM ${table} WHERE instrument_id = ?`);
  const all = db.prepare(`DELETE FROM ${table}`);
  return (instrumentId) => {
    if (instrumentId === undefined) all.run();
    else one.run(instrumentId);
  };
}
