import type { Statement } from 'better-sqlite3';
import type { HeartbeatRequest } from '../protocol/heartbeat-api.ts';
import type { SqliteDatabase } from '../store/database.ts';
import { toStoreError } from '../store/store-errors.ts';

/** An agent's latest heartbeat as the server keeps it (times: server clock, ms). */
export interface StoredHeartbeat {
  instrumentId: string;
  receivedAt: number;
  heartbeat: HeartbeatRequest;
  /** Since when the agent reports a last_error without a break; null when it reports none. */
  errorSince: number | null;
}

/**
 * The latest heartbeat per instrument, in `agent_heartbeats` (so a restarted server knows when it
 * last heard from each agent) and in memory (the watcher reads them every few seconds). Only this
 * server writes the table.
 */
export class HeartbeatStore {
  private readonly latest = new Map<string, StoredHeartbeat>();
  private readonly upsert: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly path: string,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO agent_heartbeats (instrument_id, received_at, heartbeat, error_since) VALUES (?, ?, ?, ?)
      ON CONFLICT (instrument_id) DO UPDATE SET received_at = excluded.received_at, heartbeat = excluded.heartbeat, error_since = excluded.error_since`);
    const rows = db.prepare('SELECT instrument_id, received_at, heartbeat, error_since FROM agent_heartbeats').all() as Array<{
      instrument_id: string;
      received_at: string;
      heartbeat: string;
      error_since: string | null;
    }>;
    for (const row of rows) {
      this.latest.set(row.instrument_id, {
        instrumentId: row.instrument_id,
        receivedAt: Date.parse(row.received_at),
        // Written by `record` from a heartbeat that passed the protocol's schema.
        heartbeat: JSON.parse(row.heartbeat) as HeartbeatRequest,
        errorSince: row.error_since === null ? null : Date.parse(row.error_since),
      });
    }
  }

  record(heartbeat: HeartbeatRequest, receivedAt: number): StoredHeartbeat {
    const instrumentId = heartbeat.instrument_id;
    const before = this.latest.get(instrumentId);
    const errorSince = heartbeat.last_error === null ? null : (before?.errorSince ?? receivedAt);
    try {
      this.upsert.run(instrumentId, new Date(receivedAt).toISOString(), JSON.stringify(heartbeat), errorSince === null ? null : new Date(errorSince).toISOString());
    } catch (error) {
      // A database busy with another writer or full: a 503 the agent retries, nothing kept.
      throw toStoreError(error, this.path);
    }
    const stored = { instrumentId, receivedAt, heartbeat, errorSince };
    this.latest.set(instrumentId, stored);
    return stored;
  }

  get(instrumentId: string): StoredHeartbeat | null {
    return this.latest.get(instrumentId) ?? null;
  }

  instrumentIds(): string[] {
    return [...this.latest.keys()];
  }
}
