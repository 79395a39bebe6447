import type { Statement } from 'better-sqlite3';
import type { MonitorOutput, Session } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { rowsDeleter, type Projection } from './projection.ts';

/** A login as the store keeps it (`user_sessions`). */
export interface UserSession {
  instrumentId: string;
  user: string;
  startedAt: string;
  endedAt: string | null;
  endReason: Session['endReason'];
}

/** One row per login, closed at logout, at the software's exit or at the next login. */
export class UserSessionsProjection implements Projection {
  readonly name = 'user_sessions';
  private readonly upsert: Statement;
  readonly clear: (instrumentId?: string) => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO user_sessions (instrument_id, user, started_at, ended_at, end_reason) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (instrument_id, started_at, user) DO UPDATE SET ended_at = excluded.ended_at, end_reason = excluded.end_reason`);
    this.clear = rowsDeleter(db, this.name);
  }

  apply(instrumentId: string, output: MonitorOutput): void {
    if (output.type !== 'session_opened' && output.type !== 'session_closed') return;
    const { user, startedAt, endedAt, endReason } = output.session;
    this.upsert.run(instrumentId, user, startedAt, endedAt, endReason);
  }
}

/** The read side of `user_sessions`. */
export class UserSessionsReadModel {
  private readonly overlapping: Statement;
  private readonly total: Statement;

  constructor(db: SqliteDatabase) {
    this.overlapping = db.prepare(
      `SELECT instrument_id AS instrumentId, user, started_at AS startedAt, ended_at AS endedAt, end_reason AS endReason FROM user_sessions
       WHERE (@instrumentId IS NULL OR instrument_id = @instrumentId)
         AND (@from IS NULL OR ended_at IS NULL OR ended_at >= @from)
         AND (@to IS NULL OR started_at < @to)
       ORDER BY started_at DESC, instrument_id`,
    );
    this.total = db.prepare('SELECT count(*) FROM user_sessions').pluck();
  }

  /** Sessions that overlap [from, to), newest first (e.g. "who used the instrument last week"). */
  find(filter: { instrumentId?: string; from?: string; to?: string } = {}): UserSession[] {
    return this.overlapping.all({ instrumentId: filter.instrumentId ?? null, from: filter.from ?? null, to: filter.to ?? null }) as UserSession[];
  }

  count(): number {
    return this.total.get() as number;
  }
}
