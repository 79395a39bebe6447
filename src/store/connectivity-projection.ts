import type { Statement } from 'better-sqlite3';
import { CONNECTIVITY_CHANGED, connectivityChangedDataSchema, type Connectivity } from '../connectivity/connectivity.ts';
import type { SqliteDatabase } from './database.ts';
import { rowsDeleter } from './projection.ts';

/** A server event as projections of server events see it (no source key, no machine). */
export interface ServerEventRecord {
  position: number;
  instrumentId: string;
  type: string;
  occurredAt: string;
  data: string;
}

/**
 * A table kept from server events (which no machine reads), in the order they were appended.
 * Log-event projections live in the Projector; these are applied beside it and rebuilt by replay.
 */
export interface ServerEventProjection {
  readonly name: string;
  readonly types: ReadonlySet<string>;
  apply(event: ServerEventRecord): void;
  clear(): void;
}

/** An instrument's connectivity as its latest `connectivity_changed` event set it. */
export interface StoredConnectivity {
  instrumentId: string;
  state: Connectivity;
  reason: string | null;
  since: string;
}

/** One row per instrument: the connectivity its latest `connectivity_changed` event set. */
export class ConnectivityProjection implements ServerEventProjection {
  readonly name = 'instrument_connectivity';
  readonly types: ReadonlySet<string> = new Set([CONNECTIVITY_CHANGED]);
  private readonly upsert: Statement;
  readonly clear: () => void;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO instrument_connectivity (instrument_id, state, reason, since, last_position) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (instrument_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, since = excluded.since, last_position = excluded.last_position`);
    this.clear = rowsDeleter(db, this.name);
  }

  apply(event: ServerEventRecord): void {
    // Checked here, in the append's transaction: bad data is refused with the event, never stored.
    const parsed = connectivityChangedDataSchema.safeParse(JSON.parse(event.data));
    if (!parsed.success) throw new Error(`${CONNECTIVITY_CHANGED} data is not valid: ${parsed.error.message}`);
    const data = parsed.data;
    this.upsert.run(event.instrumentId, data.state, data.reason, event.occurredAt, event.position);
  }
}

/** The read side of `instrument_connectivity`. */
export class ConnectivityReadModel {
  private readonly every: Statement;

  constructor(db: SqliteDatabase) {
    this.every = db.prepare('SELECT instrument_id AS instrumentId, state, reason, since FROM instrument_connectivity ORDER BY instrument_id');
  }

  all(): StoredConnectivity[] {
    return this.every.all() as StoredConnectivity[];
  }
}
