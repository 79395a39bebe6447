import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { EVENTS_PATH, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import { eventsResponseSchema } from '../../src/protocol/events-api.ts';
import type { HeartbeatRequest } from '../../src/protocol/heartbeat-api.ts';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { startServer, type RunningServer, type ServerPlugin } from '../../src/server/start-server.ts';
import type { SqliteDatabase } from '../../src/store/database.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { logEventFromRow, type LogEventRow } from '../../src/store/stored-event.ts';
import { sqliteOf } from '../store/store-test-kit.ts';
import { sourceKeyOf, type StoredEvent } from './fake-ingest-server.ts';

// The real server (src/server, real HTTP on 127.0.0.1, a real SQLite file) in the test's process,
// with the same surface the agent tests read from the fake: what is stored per instrument, the
// heartbeats and requests it answered, stopping and restarting on the same port and database.

export class RealIngestServer {
  readonly dbPath: string;
  readonly heartbeats: HeartbeatRequest[] = [];
  readonly requests: Array<{ path: string; status: number; events: number }> = [];
  /** The real server keeps the first event under a key and says no more: nothing to report here. */
  readonly conflicts: never[] = [];
  appended = 0;
  duplicates = 0;
  private server: RunningServer | null = null;
  private port = 0;

  private constructor(dir: string) {
    this.dbPath = join(dir, 'server.db');
  }

  static async start(options: { dir: string; tokens: Record<string, string> }): Promise<RealIngestServer> {
    const real = new RealIngestServer(options.dir);
    const store = EventStore.open(real.dbPath);
    const tokens = store.agentTokens();
    for (const [token, instrument] of Object.entries(options.tokens)) tokens.register(instrument, token);
    store.close();
    await real.restart();
    return real;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  /** What the server stores of the instrument's log events, by source key. */
  store(instrument: string): Map<string, StoredEvent> {
    return this.read((db) => {
      const rows = db
        .prepare(
          `SELECT global_position, type, occurred_at, data, log_file, source_offset, source_index, line_number, raw FROM events
           WHERE instrument_id = ? AND log_file IS NOT NULL ORDER BY log_file, source_offset, source_index`,
        )
        .raw()
        .all(instrument) as Array<[...LogEventRow, string | null]>;
      return new Map(
        rows.map((row) => {
          const event = logEventFromRow(row.slice(0, 8) as LogEventRow);
          return [sourceKeyOf(event.source), { event, raw: row[8] }];
        }),
      );
    });
  }

  /** Runs `work` on the server's database (its own connection while it runs, a read-only one while it is stopped). */
  read<T>(work: (db: SqliteDatabase) => T): T {
    if (this.server !== null) return work(sqliteOf(this.server.store));
    const db = new Database(this.dbPath, { readonly: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  /** Listens again on the same port and database (a restarted server). */
  async restart(): Promise<void> {
    if (this.server !== null) return;
    this.server = await startServer({
      dbPath: this.dbPath,
      host: '127.0.0.1',
      port: this.port,
      config: SERVER_DEFAULTS,
      log: pino({ level: 'silent' }),
      plugins: [this.recorder()],
    });
    this.port = this.server.port;
  }

  /** Notes every agent request and its answer, as the fake does. */
  private recorder(): ServerPlugin {
    return {
      name: 'test recorder',
      middleware: async (c, next) => {
        await next();
        const path = c.req.path;
        const status = c.res.status;
        if (path === EVENTS_PATH) {
          let events = 0;
          if (status === 200) {
            const answer = eventsResponseSchema.parse(await c.res.clone().json());
            this.appended += answer.appended;
            this.duplicates += answer.duplicates;
            events = answer.appended + answer.duplicates;
          }
          this.requests.push({ path, status, events });
        } else if (path === HEARTBEAT_PATH) {
          this.requests.push({ path, status, events: 0 });
          const row = status === 200 ? this.read((db) => db.prepare('SELECT heartbeat FROM agent_heartbeats WHERE instrument_id = ?').pluck().get(c.get('agentInstrument'))) : undefined;
          if (typeof row === 'string') this.heartbeats.push(JSON.parse(row) as HeartbeatRequest);
        }
      },
    };
  }

}
