import type { Statement } from 'better-sqlite3';
import { EstimatorHistory, type RunSummary } from '../estimates/estimator-history.ts';
import { ranToEnd, type RunTimeline } from '../estimates/run-timeline.ts';
import type { RunOutcome, RunSource } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { storedRunId } from './procedure-runs-projection.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';

/**
 * `run_steps`: what the estimator needs of each run, kept as events arrive so that a
 * start-up reads it instead of replaying the history. A closed run is kept when it ran to its end
 * (the only runs the estimator learns from); the open run is written at the end of each
 * transaction and dropped if it closes otherwise. The rest of a run (procedure, times, outcome)
 * is its `procedure_runs` row.
 */
export class RunStepsProjection implements Projection {
  readonly name = 'run_steps';
  private readonly upsert: Statement;
  private readonly remove: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO run_steps (run_id, instrument_id, steps, waits) VALUES (?, ?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET steps = excluded.steps, waits = excluded.waits`);
    this.remove = db.prepare('DELETE FROM run_steps WHERE run_id = ?');
    this.clear = rowsDeleter(db, this.name);
  }

  applyTimeline(instrumentId: string, run: RunTimeline): void {
    if (ranToEnd(run.outcome)) this.write(instrumentId, run);
    else this.remove.run(storedRunId(instrumentId, run.id));
  }

  flush({ instrumentId, openTimeline }: InstrumentProgress): void {
    if (openTimeline !== null) this.write(instrumentId, openTimeline);
  }

  private write(instrumentId: string, run: RunTimeline): void {
    const startMs = Date.parse(run.startedAt);
    const steps = JSON.stringify(run.steps.map((step) => [step.function, step.line, Date.parse(step.at) - startMs]));
    const waits = JSON.stringify(run.waits.map((wait) => [Date.parse(wait.from) - startMs, wait.to === null ? null : Date.parse(wait.to) - startMs]));
    this.upsert.run(storedRunId(instrumentId, run.id), instrumentId, steps, waits);
  }
}

interface RunStepsRow {
  run_id: string;
  procedure: string;
  source: RunSource;
  well: string | null;
  started_at: string;
  ended_at: string | null;
  outcome: RunOutcome | null;
  steps: string;
  waits: string;
}

/** Reads an instrument's run timelines back from `run_steps` and `procedure_runs`. */
export class RunStepsReader {
  private readonly closed: Statement;
  private readonly closedSummaries: Statement;
  private readonly open: Statement;
  private readonly one: Statement;

  constructor(db: SqliteDatabase) {
    const select = `SELECT r.run_id, r.procedure, r.source, r.well, r.started_at, r.ended_at, r.outcome, s.steps, s.waits
      FROM run_steps s JOIN procedure_runs r USING (run_id) WHERE s.instrument_id = ?`;
    this.closed = db.prepare(`${select} AND r.outcome IS NOT NULL ORDER BY r.ended_at, r.run_id`);
    this.closedSummaries = db.prepare(`SELECT r.run_id, r.procedure, r.source, r.well, r.started_at, r.ended_at, r.outcome
      FROM run_steps s JOIN procedure_runs r USING (run_id) WHERE s.instrument_id = ? AND r.outcome IS NOT NULL ORDER BY r.ended_at, r.run_id`);
    this.open = db.prepare(`${select} AND r.outcome IS NULL`);
    this.one = db.prepare(`${select} AND s.run_id = ?`);
  }

  /**
   * The estimator's history of the instrument without reading any steps: each run's steps are read
   * when an estimate first needs them (the latest few of a kind), so a start-up costs little
   * whatever the years stored.
   */
  history(instrumentId: string): EstimatorHistory {
    const history = new EstimatorHistory();
    for (const row of this.closedSummaries.iterate(instrumentId) as Iterable<Omit<RunStepsRow, 'steps' | 'waits'>>) {
      history.addSummary(summaryOf(instrumentId, row), () => {
        const full = this.one.get(instrumentId, row.run_id) as RunStepsRow | undefined;
        if (full === undefined) throw new Error(`run ${row.run_id}: its steps are no longer stored (the store was rebuilt since)`);
        return timelineOf(instrumentId, full);
      });
    }
    return history;
  }

  /** The closed runs that ran to their end, by end time. */
  *closedTimelines(instrumentId: string): Generator<RunTimeline> {
    for (const row of this.closed.iterate(instrumentId) as Iterable<RunStepsRow>) yield timelineOf(instrumentId, row);
  }

  /** The open run's timeline so far, or null when no run is open. */
  openTimeline(instrumentId: string): RunTimeline | null {
    const row = this.open.get(instrumentId) as RunStepsRow | undefined;
    return row === undefined ? null : timelineOf(instrumentId, row);
  }
}

function summaryOf(instrumentId: string, row: Omit<RunStepsRow, 'steps' | 'waits'>): RunSummary {
  return {
    id: row.run_id.slice(instrumentId.length + 1),
    procedure: row.procedure,
    source: row.source,
    well: row.well,
    startedAt: row.started_at,
    // As the collector closes a run: one that never logged an end ends where it began.
    endedAt: row.outcome === null ? null : (row.ended_at ?? row.started_at),
    outcome: row.outcome,
  };
}

function timelineOf(instrumentId: string, row: RunStepsRow): RunTimeline {
  const startMs = Date.parse(row.started_at);
  const at = (ms: number) => new Date(startMs + ms).toISOString();
  return {
    ...summaryOf(instrumentId, row),
    steps: (JSON.parse(row.steps) as Array<[string, number, number]>).map(([fn, line, ms]) => ({ function: fn, line, at: at(ms) })),
    waits: (JSON.parse(row.waits) as Array<[number, number | null]>).map(([from, to]) => ({ from: at(from), to: to === null ? null : at(to) })),
  };
}
