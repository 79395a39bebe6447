import type { Statement } from 'better-sqlite3';
import type { MonitorOutput, Session } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from './database.ts';
import { rowsDeleter, type Projection } from './projection.ts';

export interface UserSessionRow {
  instrument_id: string;
  user: string;
  started_at: string;
  ended_at: string | null;
  end_reason: Session['endReason'];
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

/** Sessions that overlap [from, to), newest first (e.g. "who used the instrument last week"). */
export function queryUserSessions(db: SqliteDatabase, filter: { instrumentId?: string; from?: string; to?: string } = {}): UserSessionRow[] {
  return db
    .prepare(
      `SELECT * FROM user_sessions
       WHERE (@instrumentId IS NULL OR instrument_id = @instrumentId)
         AND (@from IS NULL OR ended_at IS NULL OR ended_at >= @from)
         AND (@to IS NULL OR started_at < @to)
       ORDER BY started_at DESC, instrument_id`,
    )
    .all({ instrumentId: filter.instrumentId ?? null, from: filter.from ?? null, to: filter.to ?? null }) as UserSessionRow[];
}
