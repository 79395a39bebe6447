import type { Statement } from 'better-sqlite3';
import { EstimatorHistory, type RunSummary, type StoredRun } from '../estimates/estimator-history.ts';
import type { GroupMembers } from '../estimates/history-groups.ts';
import { RAN_TO_END, ranToEnd, type RunTimeline } from '../estimates/run-timeline.ts';
import type { RunOutcome, RunSource } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { storedRunId } from './procedure-runs-projection.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';
import { utcMsOf } from './stored-event.ts';

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
    // utcMsOf: the times are events' (checked when stored), read without Date.parse: a year has 300,000 steps.
    const startMs = utcMsOf(run.startedAt);
    const steps = JSON.stringify(run.steps.map((step) => [step.function, step.line, utcMsOf(step.at) - startMs]));
    const waits = JSON.stringify(run.waits.map((wait) => [utcMsOf(wait.from) - startMs, wait.to === null ? null : utcMsOf(wait.to) - startMs]));
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
  private readonly one: Statement;
  private readonly groupStatements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    const select = `SELECT r.run_id, r.procedure, r.source, r.well, r.started_at, r.ended_at, r.outcome, s.steps, s.waits
      FROM run_steps s JOIN procedure_runs r USING (run_id) WHERE s.instrument_id = ?`;
    this.closed = db.prepare(`${select} AND r.outcome IS NOT NULL ORDER BY r.ended_at, r.run_id`);
    this.one = db.prepare(`${select} AND s.run_id = ?`);
  }

  /**
   * The estimator's history of the instrument, reading nothing yet: a group's latest runs are read
   * when an estimate first asks about it, and a run's steps when an estimate needs them, so a
   * start-up costs the same whatever the years stored.
   */
  history(instrumentId: string): EstimatorHistory {
    return new EstimatorHistory({
      // One read transaction: the count and the runs agree even while another process writes.
      latest: (members, limit) => this.db.transaction(() => ({ total: this.groupCount(instrumentId, members), runs: this.groupRuns(instrumentId, members, limit) }))(),
      all: (members) => this.groupRuns(instrumentId, members),
    });
  }

  private groupCount(instrumentId: string, members: GroupMembers): number {
    return this.groupStatement(members, 'count').get(...groupParams(instrumentId, members)) as number;
  }

  /** The group's runs in the history's order; only the `limit` last of them when given. */
  private groupRuns(instrumentId: string, members: GroupMembers, limit?: number): StoredRun[] {
    const params = groupParams(instrumentId, members);
    const rows = (limit === undefined ? this.groupStatement(members, 'all').all(...params) : this.groupStatement(members, 'latest').all(...params, limit).reverse()) as Array<Omit<RunStepsRow, 'steps' | 'waits'>>;
    return rows.map((row) => ({
      run: summaryOf(instrumentId, row),
      timeline: () => {
        const full = this.one.get(instrumentId, row.run_id) as RunStepsRow | undefined;
        if (full === undefined) throw new Error(`run ${row.run_id}: its steps are no longer stored (the store was rebuilt since)`);
        return timelineOf(instrumentId, full);
      },
    }));
  }

  /**
   * A group's runs through procedure_runs_by_procedure (instrument, procedure, outcome, source): the
   * runs of one kind, never the instrument's whole history. A run that ran to its end always has
   * its steps in `run_steps` (`applyTimeline`), so `procedure_runs` alone says which runs are there.
   * Their order is the history's: by end as `endedAtMs` reads it (never before the start; ISO
   * times of one format sort as text), then end time and id, the order they were added in.
   */
  private groupStatement(members: GroupMembers, read: 'count' | 'latest' | 'all'): Statement {
    const key = `${members.wells.kind}:${read}`;
    let statement = this.groupStatements.get(key);
    if (statement !== undefined) return statement;
    const wells = { any: '', tube: ' AND r.well IS NULL', plate: ' AND r.well IS NOT NULL', well: ' AND r.well = ?' }[members.wells.kind];
    const where = `WHERE r.instrument_id = ? AND r.procedure = ? AND r.outcome IN (${RAN_TO_END.map(() => '?').join(', ')}) AND r.source = ?${wells}`;
    const end = 'max(r.started_at, coalesce(r.ended_at, r.started_at))';
    const sql = {
      count: `SELECT count(*) FROM procedure_runs r ${where}`,
      latest: `SELECT r.run_id, r.procedure, r.source, r.well, r.started_at, r.ended_at, r.outcome FROM procedure_runs r ${where}
        ORDER BY ${end} DESC, r.ended_at DESC, r.run_id DESC LIMIT ?`,
      all: `SELECT r.run_id, r.procedure, r.source, r.well, r.started_at, r.ended_at, r.outcome FROM procedure_runs r ${where}
        ORDER BY ${end}, r.ended_at, r.run_id`,
    }[read];
    statement = read === 'count' ? this.db.prepare(sql).pluck() : this.db.prepare(sql);
    this.groupStatements.set(key, statement);
    return statement;
  }

  /** The closed runs that ran to their end, by end time. */
  *closedTimelines(instrumentId: string): Generator<RunTimeline> {
    for (const row of this.closed.iterate(instrumentId) as Iterable<RunStepsRow>) yield timelineOf(instrumentId, row);
  }

  /**
   * The open run's timeline so far, or null when no run is open. `runId` is the open run's id as its
   * machine holds it (null: none): read by key, where "the instrument's run with no outcome" would
   * look at every run it ever had.
   */
  openTimeline(instrumentId: string, runId: string | null): RunTimeline | null {
    if (runId === null) return null;
    const row = this.one.get(instrumentId, storedRunId(instrumentId, runId)) as RunStepsRow | undefined;
    return row === undefined || row.outcome !== null ? null : timelineOf(instrumentId, row);
  }
}

function groupParams(instrumentId: string, { procedure, source, wells }: GroupMembers): string[] {
  return [instrumentId, procedure, ...RAN_TO_END, source, ...(wells.kind === 'well' ? [wells.well] : [])];
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
