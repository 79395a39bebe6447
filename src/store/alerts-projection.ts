import type { Statement } from 'better-sqlite3';
import type { Alert, MonitorOutput } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { rowsDeleter, type Projection } from './projection.ts';
import { storedRunId } from './procedure-runs-projection.ts';

/** One row per alert the log reveals; `resolved_at` is set when the machine settles it. */
export class AlertsProjection implements Projection {
  readonly name = 'alerts';
  private readonly upsert: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO alerts (alert_id, instrument_id, kind, raised_at, resolved_at, run_id, message) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (alert_id) DO UPDATE SET
        kind = excluded.kind, raised_at = excluded.raised_at, resolved_at = excluded.resolved_at, run_id = excluded.run_id, message = excluded.message`);
    this.clear = rowsDeleter(db, this.name);
  }

  apply(instrumentId: string, output: MonitorOutput): void {
    if (output.type === 'alert_raised' || output.type === 'alert_resolved') this.write(instrumentId, output.alert);
  }

  private write(instrumentId: string, alert: Alert): void {
    this.upsert.run(
      `${instrumentId}/${alert.id}`,
      instrumentId,
      alert.kind,
      alert.raisedAt,
      alert.resolvedAt,
      alert.runId === null ? null : storedRunId(instrumentId, alert.runId),
      alert.message,
    );
  }
}

/** The read side of `alerts`. */
export class AlertsReadModel {
  private readonly resolved: Statement;
  private readonly total: Statement;

  constructor(db: SqliteDatabase) {
    this.resolved = db.prepare('SELECT resolved_at FROM alerts WHERE alert_id = ?').pluck();
    this.total = db.prepare('SELECT count(*) FROM alerts').pluck();
  }

  /** When the alert (`<instrument>/<alert id>`) was resolved: null while open, undefined when unknown. */
  resolvedAt(alertId: string): string | null | undefined {
    return this.resolved.get(alertId) as string | null | undefined;
  }

  count(): number {
    return this.total.get() as number;
  }
}
