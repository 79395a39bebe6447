import type { SqliteDatabase } from '../../store/database.ts';
import type { ProcedureRunRow } from '../../store/procedure-runs-projection.ts';

/** What the run history can be narrowed to; every field optional. Times are UTC ISO. */
export interface RunFilter {
  instrument?: string;
  procedure?: string;
  user?: string;
  /** An outcome, or `open` for runs still going. */
  outcome?: ProcedureRunRow['outcome'] | 'open';
  /** Runs that were going at some moment in [from, to): started before `to`, not ended before `from`. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface RunPage {
  runs: ProcedureRunRow[];
  /** How many runs match the filter in all (for "showing 1–200 of 1,234"). */
  total: number;
}

/** Runs matching the filter, newest first, from the `procedure_runs` projection. */
export function queryRuns(db: SqliteDatabase, filter: RunFilter): RunPage {
  const where: string[] = [];
  const params: string[] = [];
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equal('instrument_id', filter.instrument);
  equal('procedure', filter.procedure);
  equal('user', filter.user);
  if (filter.outcome === 'open') where.push('outcome IS NULL');
  else equal('outcome', filter.outcome ?? undefined);
  if (filter.to !== undefined) {
    where.push('started_at < ?');
    params.push(filter.to);
  }
  if (filter.from !== undefined) {
    where.push('(ended_at IS NULL OR ended_at >= ?)');
    params.push(filter.from);
  }
  const clause = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  const runs = db
    .prepare(`SELECT * FROM procedure_runs${clause} ORDER BY started_at DESC, run_id DESC LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset) as ProcedureRunRow[];
  const { total } = db.prepare(`SELECT count(*) AS total FROM procedure_runs${clause}`).get(...params) as { total: number };
  return { runs, total };
}

/** The values the history's filters offer. */
export interface RunFacets {
  instruments: string[];
  procedures: string[];
  users: string[];
}

export function queryRunFacets(db: SqliteDatabase): RunFacets {
  const column = (name: string) =>
    (db.prepare(`SELECT DISTINCT ${name} AS value FROM procedure_runs WHERE ${name} IS NOT NULL ORDER BY ${name}`).all() as Array<{ value: string }>).map((row) => row.value);
  const instruments = (db.prepare('SELECT instrument_id AS value FROM instrument_state ORDER BY instrument_id').all() as Array<{ value: string }>).map((row) => row.value);
  return { instruments, procedures: column('procedure'), users: column('user') };
}

/** The log file of the instrument's last launch at or before `at`, null when it had none then. */
export function launchFileAt(db: SqliteDatabase, instrumentId: string, at: string): string | null {
  const row = db
    // A launch is its file's `log_opened` (offset 0, index -1): one indexed row per file.
    .prepare(
      `SELECT f.name AS log_file FROM log_files f JOIN event_stream e ON e.file_id = f.file_id AND e.source_offset = 0 AND e.source_index = -1
       WHERE f.instrument_id = ? AND e.type = 'log_opened' AND e.occurred_ms <= ? ORDER BY f.name DESC LIMIT 1`,
    )
    .get(instrumentId, Date.parse(at)) as { log_file: string } | undefined;
  return row?.log_file ?? null;
}

export interface DurationRow {
  procedure: string;
  started_at: string;
  duration_s: number;
}

/**
 * Durations of completed runs that the log opened itself (inferred runs are seen from their first
 * step only, as in `procedure_stats`), oldest first.
 */
export function queryDurations(db: SqliteDatabase, filter: { instrument?: string; from: string; to: string }): DurationRow[] {
  const instrument = filter.instrument === undefined ? '' : ' AND instrument_id = ?';
  const params = filter.instrument === undefined ? [filter.from, filter.to] : [filter.from, filter.to, filter.instrument];
  return db
    .prepare(`SELECT procedure, started_at, duration_s FROM procedure_runs WHERE outcome = 'completed' AND source = 'logged' AND started_at >= ? AND started_at < ?${instrument} ORDER BY started_at`)
    .all(...params) as DurationRow[];
}
