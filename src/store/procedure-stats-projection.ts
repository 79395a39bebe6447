import type { Statement } from 'better-sqlite3';
import type { MonitorOutput } from '../machines/monitor-types.ts';
import { durationQuantile } from '../shared/quantiles.ts';
import type { SqliteDatabase } from './database.ts';
import { type InstrumentProgress, rowsDeleter, type Projection } from './projection.ts';

/**
 * Durations of completed runs per instrument and procedure, from `procedure_runs`. Only logged
 * runs count: an inferred run (the automatic rinse after Instrument Idle) is seen from its first
 * step, so it is shorter than the procedure and would skew the figures. A pair is recomputed once
 * per transaction that completed one of its runs, not once per run: replay stays fast.
 */
export class ProcedureStatsProjection implements Projection {
  readonly name = 'procedure_stats';
  private readonly touched = new Map<string, Set<string>>();
  private readonly durations: Statement;
  private readonly upsert: Statement;
  private readonly deletePair: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.durations = db
      .prepare(
        `SELECT duration_s, started_at FROM procedure_runs
         WHERE instrument_id = ? AND procedure = ? AND outcome = 'completed' AND source = 'logged'
         ORDER BY duration_s`,
      )
      .raw();
    this.upsert = db.prepare(`
      INSERT INTO procedure_stats (instrument_id, procedure, n, median_s, p90_s, last_run_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (instrument_id, procedure) DO UPDATE SET n = excluded.n, median_s = excluded.median_s, p90_s = excluded.p90_s, last_run_at = excluded.last_run_at`);
    this.deletePair = db.prepare('DELETE FROM procedure_stats WHERE instrument_id = ? AND procedure = ?');
    this.clear = rowsDeleter(db, this.name);
  }

  apply(instrumentId: string, output: MonitorOutput): void {
    if (output.type !== 'run_closed' || output.run.outcome !== 'completed' || output.run.source !== 'logged') return;
    let procedures = this.touched.get(instrumentId);
    if (procedures === undefined) this.touched.set(instrumentId, (procedures = new Set()));
    procedures.add(output.run.procedure);
  }

  flush({ instrumentId }: InstrumentProgress): void {
    const procedures = this.touched.get(instrumentId);
    if (procedures === undefined) return;
    this.touched.delete(instrumentId);
    for (const procedure of procedures) this.recompute(instrumentId, procedure);
  }

  discard(): void {
    this.touched.clear();
  }

  private recompute(instrumentId: string, procedure: string): void {
    const rows = this.durations.all(instrumentId, procedure) as Array<[number, string]>;
    if (rows.length === 0) {
      this.deletePair.run(instrumentId, procedure);
      return;
    }
    const durations = rows.map(([seconds]) => seconds);
    const lastRunAt = rows.reduce((latest, [, startedAt]) => (startedAt > latest ? startedAt : latest), '');
    this.upsert.run(instrumentId, procedure, rows.length, durationQuantile(durations, 0.5), durationQuantile(durations, 0.9), lastRunAt);
  }
}
