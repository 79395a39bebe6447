import type { Statement } from 'better-sqlite3';
import type { HeartbeatRecord, HeartbeatRecords } from '../connectivity/heartbeat-store.ts';
import type { SqliteDatabase } from './database.ts';
import { toStoreError } from './store-errors.ts';

/**
 * `agent_heartbeats`: the latest heartbeat per instrument, so that a restarted server knows when
 * it last heard from each agent. Only the server writes it.
 */
export class HeartbeatsTable implements HeartbeatRecords {
  private readonly upsert: Statement;
  private readonly every: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly path: string,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO agent_heartbeats (instrument_id, received_at, heartbeat, error_since) VALUES (@instrumentId, @receivedAt, @heartbeat, @errorSince)
      ON CONFLICT (instrument_id) DO UPDATE SET received_at = excluded.received_at, heartbeat = excluded.heartbeat, error_since = excluded.error_since`);
    this.every = db.prepare('SELECT instrument_id AS instrumentId, received_at AS receivedAt, heartbeat, error_since AS errorSince FROM agent_heartbeats');
  }

  all(): HeartbeatRecord[] {
    return this.every.all() as HeartbeatRecord[];
  }

  record(record: HeartbeatRecord): void {
    try {
      this.upsert.run(record);
    } catch (error) {
      // A database busy with another writer or full: a 503 the agent retries, nothing kept.
      throw toStoreError(error, this.path);
    }
  }
}
