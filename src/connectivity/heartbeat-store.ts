import type { HeartbeatRequest } from '../protocol/heartbeat-api.ts';

/** An agent's latest heartbeat as the server keeps it (times: server clock, ms). */
export interface StoredHeartbeat {
  instrumentId: string;
  receivedAt: number;
  heartbeat: HeartbeatRequest;
  /** Since when the agent reports a last_error without a break; null when it reports none. */
  errorSince: number | null;
}

/** A latest heartbeat as it is kept across restarts (times: server clock, UTC ISO). */
export interface HeartbeatRecord {
  instrumentId: string;
  receivedAt: string;
  /** The heartbeat's JSON, as the agent sent it (after the protocol's schema passed it). */
  heartbeat: string;
  errorSince: string | null;
}

/** Where the latest heartbeats are kept across restarts (the store's `agent_heartbeats`). */
export interface HeartbeatRecords {
  all(): HeartbeatRecord[];
  record(record: HeartbeatRecord): void;
}

/**
 * The latest heartbeat per instrument, kept (so a restarted server knows when it last heard from
 * each agent) and in memory (the watcher reads them every few seconds).
 */
export class HeartbeatStore {
  private readonly latest = new Map<string, StoredHeartbeat>();

  constructor(private readonly records: HeartbeatRecords) {
    for (const row of records.all()) {
      this.latest.set(row.instrumentId, {
        instrumentId: row.instrumentId,
        receivedAt: Date.parse(row.receivedAt),
        // Written by `record` from a heartbeat that passed the protocol's schema.
        heartbeat: JSON.parse(row.heartbeat) as HeartbeatRequest,
        errorSince: row.errorSince === null ? null : Date.parse(row.errorSince),
      });
    }
  }

  record(heartbeat: HeartbeatRequest, receivedAt: number): StoredHeartbeat {
    const instrumentId = heartbeat.instrument_id;
    const before = this.latest.get(instrumentId);
    const errorSince = heartbeat.last_error === null ? null : (before?.errorSince ?? receivedAt);
    // Kept first: a database that refuses it (busy, full) is a 503 the agent retries, nothing changed.
    this.records.record({
      instrumentId,
      receivedAt: new Date(receivedAt).toISOString(),
      heartbeat: JSON.stringify(heartbeat),
      errorSince: errorSince === null ? null : new Date(errorSince).toISOString(),
    });
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
