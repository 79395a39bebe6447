import type { Statement } from 'better-sqlite3';
import type { MonitorOutput, Run } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';

/** A `procedure_runs` row: the same fields as `attune-monitor runs --json`, plus the counts. */
export interface ProcedureRunRow {
  run_id: string;
  instrument_id: string;
  procedure: string;
  source: Run['source'];
  started_at: string;
  ended_at: string | null;
  duration_s: number | null;
  outcome: Run['outcome'];
  outcome_code: string | null;
  user: string | null;
  well: string | null;
  log_file: string;
  steps: number;
  fcs_files: number;
}

/** Run ids in the log are unique per instrument; in the store they carry the instrument. */
export function storedRunId(instrumentId: string, runId: string): string {
  return `${instrumentId}/${runId}`;
}

/**
 * One row per run, written when it closes, and while it is open at the end of each transaction
 * (with its counts so far): a run that opens and closes within a transaction, as nearly all do in
 * an import, is written once.
 */
export class ProcedureRunsProjection implements Projection {
  readonly name = 'procedure_runs';
  private readonly upsert: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO procedure_runs (run_id, instrument_id, procedure, source, started_at, ended_at, duration_s, outcome, outcome_code, user, well, log_file, steps, fcs_files)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET
        procedure = excluded.procedure, source = excluded.source, started_at = excluded.started_at, ended_at = excluded.ended_at,
        duration_s = excluded.duration_s, outcome = excluded.outcome, outcome_code = excluded.outcome_code, user = excluded.user,
        well = excluded.well, log_file = excluded.log_file, steps = excluded.steps, fcs_files = excluded.fcs_files`);
    this.clear = rowsDeleter(db, this.name);
  }

  apply(instrumentId: string, output: MonitorOutput): void {
    if (output.type === 'run_closed') this.write(instrumentId, output.run);
  }

  flush({ instrumentId, monitor }: InstrumentProgress): void {
    const open = monitor.context.run;
    if (open !== null) this.write(instrumentId, open);
  }

  private write(instrumentId: string, run: Run): void {
    const duration = run.endedAt === null ? null : (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
    this.upsert.run(
      storedRunId(instrumentId, run.id),
      instrumentId,
      run.procedure,
      run.source,
      run.startedAt,
      run.endedAt,
      duration,
      run.outcome,
      run.outcomeCode,
      run.user,
      run.well,
      run.logFile,
      run.steps,
      run.fcsFiles,
    );
  }
}

export interface ProcedureRunsFilter {
  instrumentId?: string;
  /** Runs started at or after this UTC ISO time. */
  since?: string;
  limit?: number;
}

/** Runs, newest first. */
export function queryProcedureRuns(db: SqliteDatabase, filter: ProcedureRunsFilter = {}): ProcedureRunRow[] {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (filter.instrumentId !== undefined) {
    where.push('instrument_id = ?');
    params.push(filter.instrumentId);
  }
  if (filter.since !== undefined) {
    where.push('started_at >= ?');
    params.push(filter.since);
  }
  const limit = filter.limit === undefined ? '' : ' LIMIT ?';
  if (filter.limit !== undefined) params.push(filter.limit);
  const sql = `SELECT * FROM procedure_runs${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, run_id DESC${limit}`;
  return db.prepare(sql).all(...params) as ProcedureRunRow[];
}
