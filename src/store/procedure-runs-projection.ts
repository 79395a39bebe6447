import type { Statement } from 'better-sqlite3';
import type { MonitorOutput, Run } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';

/** A run as the store keeps it (`procedure_runs`): what the API, the pages, Slack and the CLI show. */
export interface ProcedureRun {
  /** `<instrument>/<run id in the log>`. */
  runId: string;
  instrumentId: string;
  procedure: string;
  source: Run['source'];
  startedAt: string;
  endedAt: string | null;
  durationS: number | null;
  /** Null while the run is open. */
  outcome: Run['outcome'];
  outcomeCode: string | null;
  user: string | null;
  well: string | null;
  logFile: string;
  steps: number;
  fcsFiles: number;
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

/** What runs can be narrowed to; every field optional. Times are UTC ISO. */
export interface RunFilter {
  instrumentId?: string | undefined;
  procedure?: string | undefined;
  user?: string | undefined;
  /** An outcome, or `open` for runs still going. */
  outcome?: NonNullable<Run['outcome']> | 'open' | undefined;
  source?: Run['source'] | undefined;
  /** Runs started at or after this time. */
  since?: string | undefined;
  /** Runs that were going at some moment in [from, to): not ended before `from`, started before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  /** Newest first (the default) or oldest first. */
  order?: 'newest' | 'oldest' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** A page of runs, and how many match in all (for "showing 1–200 of 1,234"). */
export interface RunPage {
  runs: ProcedureRun[];
  total: number;
}

/** The values the runs' filters can take, as stored. */
export interface RunFacets {
  instruments: string[];
  procedures: string[];
  users: string[];
}

const RUN_COLUMNS = `run_id AS runId, instrument_id AS instrumentId, procedure, source, started_at AS startedAt, ended_at AS endedAt,
  duration_s AS durationS, outcome, outcome_code AS outcomeCode, user, well, log_file AS logFile, steps, fcs_files AS fcsFiles`;

/** The read side of `procedure_runs`: every question asked of the runs, in one place. */
export class ProcedureRunsReadModel {
  private readonly one: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.one = db.prepare(`SELECT ${RUN_COLUMNS} FROM procedure_runs WHERE run_id = ?`);
  }

  /** Runs matching the filter, newest first unless told. */
  find(filter: RunFilter = {}): ProcedureRun[] {
    const { clause, params } = whereOf(filter);
    const direction = filter.order === 'oldest' ? 'ASC' : 'DESC';
    const page = filter.limit === undefined ? [] : [filter.limit, filter.offset ?? 0];
    const sql = `SELECT ${RUN_COLUMNS} FROM procedure_runs${clause} ORDER BY started_at ${direction}, run_id ${direction}${page.length > 0 ? ' LIMIT ? OFFSET ?' : ''}`;
    return this.db.prepare(sql).all(...params, ...page) as ProcedureRun[];
  }

  /** How many runs match the filter in all (its limit and offset aside). */
  count(filter: RunFilter = {}): number {
    const { clause, params } = whereOf(filter);
    return this.db.prepare(`SELECT count(*) FROM procedure_runs${clause}`).pluck().get(...params) as number;
  }

  /** One run by its stored id (`<instrument>/<run id>`), null when there is none. */
  get(runId: string): ProcedureRun | null {
    return (this.one.get(runId) as ProcedureRun | undefined) ?? null;
  }

  facets(): RunFacets {
    const column = (name: 'procedure' | 'user') =>
      this.db.prepare(`SELECT DISTINCT ${name} FROM procedure_runs WHERE ${name} IS NOT NULL ORDER BY ${name}`).pluck().all() as string[];
    const instruments = this.db.prepare('SELECT instrument_id FROM instrument_state ORDER BY instrument_id').pluck().all() as string[];
    return { instruments, procedures: column('procedure'), users: column('user') };
  }
}

function whereOf(filter: RunFilter): { clause: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  const add = (condition: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(condition);
    params.push(value);
  };
  add('instrument_id = ?', filter.instrumentId);
  add('procedure = ?', filter.procedure);
  add('user = ?', filter.user);
  if (filter.outcome === 'open') where.push('outcome IS NULL');
  else add('outcome = ?', filter.outcome);
  add('source = ?', filter.source);
  add('started_at >= ?', filter.since);
  add('started_at < ?', filter.to);
  add('(ended_at IS NULL OR ended_at >= ?)', filter.from);
  return { clause: where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`, params };
}
