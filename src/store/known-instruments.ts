import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

/**
 * Every instrument the server knows of, by id: those with events, a token, a heartbeat or a
 * connectivity record. An instrument whose agent was just given a token is listed (as `unknown`)
 * before its first event.
 */
export class KnownInstruments {
  private readonly ids: Statement;
  private readonly one: Statement;

  constructor(db: SqliteDatabase) {
    const union = `SELECT instrument_id FROM instrument_state UNION SELECT instrument_id FROM agent_tokens
      UNION SELECT instrument_id FROM agent_heartbeats UNION SELECT instrument_id FROM instrument_connectivity`;
    this.ids = db.prepare(`${union} ORDER BY instrument_id`).pluck();
    this.one = db.prepare(`SELECT 1 FROM (${union}) WHERE instrument_id = ?`).pluck();
  }

  all(): string[] {
    return this.ids.all() as string[];
  }

  has(instrumentId: string): boolean {
    return this.one.get(instrumentId) !== undefined;
  }
}
