import type { Statement } from 'better-sqlite3';
import type { MonitorOutput } from '../machines/monitor-types.ts';
import { durationQuantile } from '../shared/quantiles.ts';
import type { SqliteDatabase } from './database.ts';
import { storedRunId } from './procedure-runs-projection.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';

/** A completed logged run as it counts here: the duration `procedure_runs` stores, and its start. */
interface CountedRun {
  runId: string;
  /** Null only if the run logged no end: then the durations are read from the table again. */
  durationS: number | null;
  startedAt: string;
}

/** One pair's durations as `procedure_runs` holds them, ascending, and the start of its latest run. */
interface PairDurations {
  sorted: number[];
  lastRunAt: string;
}

/** What is known of an instrument's rows, valid while its last applied position is `validAt`. */
interface InstrumentDurations {
  validAt: number;
  runIds: Set<string>;
  pairs: Map<string, PairDurations>;
}

/**
 * Durations of completed runs per instrument and procedure, from `procedure_runs`. Only logged
 * runs count: an inferred run (the automatic rinse after Instrument Idle) is seen from its first
 * step, so it is shorter than the procedure and would skew the figures.
 * A pair's durations are read from the table once, then kept in memory and added to as its runs
 * complete: an import commits each file, and reading a year's durations again at every file made
 * it quadratic. The memory is trusted only while nothing else moved the instrument (its last
 * applied position is the one it was kept at: another process may write the same file), and is
 * dropped with a rollback or a rebuild; otherwise the pair is read from the table again.
 */
export class ProcedureStatsProjection implements Projection {
  readonly name = 'procedure_stats';
  /** Runs completed in the current transaction, per instrument and procedure. */
  private readonly touched = new Map<string, Map<string, CountedRun[]>>();
  private readonly known = new Map<string, InstrumentDurations>();
  private readonly durations: Statement;
  private readonly upsert: Statement;
  private readonly deletePair: Statement;
  private readonly clearRows: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.durations = db
      .prepare(
        `SELECT run_id, duration_s, started_at FROM procedure_runs
         WHERE instrument_id = ? AND procedure = ? AND outcome = 'completed' AND source = 'logged'
         ORDER BY duration_s`,
      )
      .raw();
    this.upsert = db.prepare(`
      INSERT INTO procedure_stats (instrument_id, procedure, n, median_s, p90_s, last_run_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (instrument_id, procedure) DO UPDATE SET n = excluded.n, median_s = excluded.median_s, p90_s = excluded.p90_s, last_run_at = excluded.last_run_at`);
    this.deletePair = db.prepare('DELETE FROM procedure_stats WHERE instrument_id = ? AND procedure = ?');
    this.clearRows = rowsDeleter(db, this.name);
  }

  apply(instrumentId: string, output: MonitorOutput): void {
    if (output.type !== 'run_closed') return;
    const { id, procedure, startedAt, endedAt, outcome, source } = output.run;
    // A run counted already closes again (its row changes): what memory holds no longer agrees.
    if (this.known.get(instrumentId)?.runIds.has(storedRunId(instrumentId, id))) this.known.delete(instrumentId);
    if (outcome !== 'completed' || source !== 'logged') return;
    let procedures = this.touched.get(instrumentId);
    if (procedures === undefined) this.touched.set(instrumentId, (procedures = new Map()));
    let runs = procedures.get(procedure);
    if (runs === undefined) procedures.set(procedure, (runs = []));
    // As `procedure_runs` stores it (the same double), so that memory and table agree exactly.
    const durationS = endedAt === null ? null : (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
    runs.push({ runId: storedRunId(instrumentId, id), durationS, startedAt });
  }

  flush({ instrumentId, previousPosition, lastPosition }: InstrumentProgress): void {
    const procedures = this.touched.get(instrumentId);
    let known = this.known.get(instrumentId);
    if (procedures === undefined) {
      // Nothing completed (most live batches): what memory holds still agrees, at the new position.
      if (known?.validAt === previousPosition) known.validAt = lastPosition;
      return;
    }
    this.touched.delete(instrumentId);
    if (known === undefined || known.validAt !== previousPosition) {
      known = { validAt: previousPosition, runIds: new Set(), pairs: new Map() };
      this.known.set(instrumentId, known);
    }
    for (const [procedure, runs] of procedures) {
      const pair = known.pairs.get(procedure);
      if (pair === undefined || runs.some((run) => run.durationS === null)) this.read(instrumentId, procedure, known);
      else for (const run of runs) add(pair, known, run);
      this.write(instrumentId, procedure, known.pairs.get(procedure));
    }
    known.validAt = lastPosition;
  }

  clear(instrumentId?: string): void {
    this.clearRows(instrumentId);
    if (instrumentId === undefined) this.known.clear();
    else this.known.delete(instrumentId);
  }

  discard(): void {
    this.touched.clear();
    this.known.clear();
  }

  /** The pair's durations from the table (which already holds this transaction's runs). */
  private read(instrumentId: string, procedure: string, known: InstrumentDurations): void {
    const rows = this.durations.all(instrumentId, procedure) as Array<[string, number, string]>;
    if (rows.some(([, seconds]) => seconds === null)) {
      // Not a duration to count on: this pair is read again next time.
      known.pairs.delete(procedure);
      this.writeFromRows(instrumentId, procedure, rows);
      return;
    }
    const pair: PairDurations = { sorted: [], lastRunAt: '' };
    for (const [runId, seconds, startedAt] of rows) {
      known.runIds.add(runId);
      pair.sorted.push(seconds);
      if (startedAt > pair.lastRunAt) pair.lastRunAt = startedAt;
    }
    known.pairs.set(procedure, pair);
  }

  private writeFromRows(instrumentId: string, procedure: string, rows: Array<[string, number, string]>): void {
    const durations = rows.map(([, seconds]) => seconds);
    const lastRunAt = rows.reduce((latest, [, , startedAt]) => (startedAt > latest ? startedAt : latest), '');
    this.upsertOrDelete(instrumentId, procedure, durations, lastRunAt);
  }

  private write(instrumentId: string, procedure: string, pair: PairDurations | undefined): void {
    if (pair !== undefined) this.upsertOrDelete(instrumentId, procedure, pair.sorted, pair.lastRunAt);
  }

  private upsertOrDelete(instrumentId: string, procedure: string, sorted: readonly number[], lastRunAt: string): void {
    if (sorted.length === 0) this.deletePair.run(instrumentId, procedure);
    else this.upsert.run(instrumentId, procedure, sorted.length, durationQuantile(sorted, 0.5), durationQuantile(sorted, 0.9), lastRunAt);
  }
}

/** Adds a run's duration in order (the first index past its equals). */
function add(pair: PairDurations, known: InstrumentDurations, run: CountedRun): void {
  const seconds = run.durationS as number;
  const sorted = pair.sorted;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= seconds) low = middle + 1;
    else high = middle;
  }
  sorted.splice(low, 0, seconds);
  known.runIds.add(run.runId);
  if (run.startedAt > pair.lastRunAt) pair.lastRunAt = run.startedAt;
}
