import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogEvent } from '../../src/events/log-events.ts';
import { apiError, API_ERROR_STATUS, type ApiErrorCode } from '../../src/protocol/api-errors.ts';
import { EVENTS_PATH, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import { compareSourcePositions, eventsRequestSchema, MAX_EVENTS_BODY_BYTES, type SourcePosition } from '../../src/protocol/events-api.ts';
import { heartbeatRequestSchema, MAX_HEARTBEAT_BODY_BYTES, type HeartbeatRequest } from '../../src/protocol/heartbeat-api.ts';

// A stand-in for the real server (the server's ingest half) speaking the HTTP API v1 on 127.0.0.1:
// bearer tokens bound to instruments, zod validation, body limits, and an in-memory store that
// is idempotent on the source key (file, offset, index) per instrument, as the SQLite store will
// be. It can be stopped and restarted on the same port, made to fail or to be slow, and it keeps
// every heartbeat.

export interface StoredEvent {
  event: LogEvent;
  raw: string | null;
}

export interface FakeIngestOptions {
  /** token → instrument id */
  tokens: Record<string, string>;
}

export function sourceKeyOf(source: SourcePosition): string {
  return `${source.file}|${source.offset}|${source.index}`;
}

export class FakeIngestServer {
  readonly tokens: Record<string, string>;
  /** instrument → source key → first event stored under it */
  readonly stores = new Map<string, Map<string, StoredEvent>>();
  private readonly highest = new Map<string, SourcePosition>();
  readonly heartbeats: HeartbeatRequest[] = [];
  /** Every answered request, in order. */
  readonly requests: Array<{ path: string; status: number; events: number }> = [];
  /** Events re-sent under a known key with different content (the agent should never cause one). */
  readonly conflicts: Array<{ key: string; stored: StoredEvent; sent: StoredEvent }> = [];
  appended = 0;
  duplicates = 0;
  /** When set, /events answers this status (e.g. 503) and stores nothing. */
  failEventsWith: number | null = null;
  /** When set, /heartbeat answers this status. */
  failHeartbeatsWith: number | null = null;
  /** Delay before answering /events (a slow server). */
  eventsDelayMs = 0;
  /** The /events body limit (a proxy in front of the server may have a smaller one). */
  eventsBodyLimit = MAX_EVENTS_BODY_BYTES;
  private server: Server | null = null;
  private port = 0;

  private constructor(options: FakeIngestOptions) {
    this.tokens = options.tokens;
  }

  static async start(options: FakeIngestOptions): Promise<FakeIngestServer> {
    const fake = new FakeIngestServer(options);
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  store(instrument: string): Map<string, StoredEvent> {
    let store = this.stores.get(instrument);
    if (!store) this.stores.set(instrument, (store = new Map()));
    return store;
  }

  /** Stops listening and drops every open connection (a crashed or stopped server). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port, with the same store (a restarted server). */
  async restart(): Promise<void> {
    if (!this.server) await this.listen();
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Node's default keep-alive timeout would leave idle sockets for 5 s after a test.
    server.keepAliveTimeout = 1000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const answer = (status: number, body: unknown, events = 0) => {
      this.requests.push({ path, status, events });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const fail = (code: ApiErrorCode, message: string) => answer(API_ERROR_STATUS[code], apiError(code, message));
    if (req.method !== 'POST' || (path !== EVENTS_PATH && path !== HEARTBEAT_PATH)) return fail('not_found', `no route ${req.method} ${path}`);

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const tokenInstrument = token === undefined ? undefined : this.tokens[token];
    const body = await readBody(req, path === EVENTS_PATH ? this.eventsBodyLimit : MAX_HEARTBEAT_BODY_BYTES);
    if (tokenInstrument === undefined) return fail('unauthorized', 'missing or unknown token');
    if (body === null) return fail('payload_too_large', 'body too large');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return fail('bad_request', 'body is not JSON');
    }

    if (path === HEARTBEAT_PATH) {
      const parsed = heartbeatRequestSchema.safeParse(json);
      if (!parsed.success) return fail('bad_request', parsed.error.message);
      if (parsed.data.instrument_id !== tokenInstrument) return fail('forbidden', 'token of another instrument');
      if (this.failHeartbeatsWith !== null) return answer(this.failHeartbeatsWith, apiError('unavailable', 'failing on purpose'));
      this.heartbeats.push(parsed.data);
      return answer(200, { ok: true, server_time: new Date().toISOString() });
    }

    const parsed = eventsRequestSchema.safeParse(json);
    if (!parsed.success) return fail('bad_request', parsed.error.message);
    if (parsed.data.instrument_id !== tokenInstrument) return fail('forbidden', 'token of another instrument');
    if (this.eventsDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.eventsDelayMs));
    if (this.failEventsWith !== null) return answer(this.failEventsWith, apiError('unavailable', 'failing on purpose'), parsed.data.events.length);
    const store = this.store(tokenInstrument);
    let appended = 0;
    let duplicates = 0;
    for (const item of parsed.data.events) {
      const key = sourceKeyOf(item.event.source);
      const stored = store.get(key);
      if (stored === undefined) {
        store.set(key, item);
        appended++;
        const top = this.highest.get(tokenInstrument);
        const { file, offset, index } = item.event.source;
        if (top === undefined || compareSourcePositions(item.event.source, top) > 0) this.highest.set(tokenInstrument, { file, offset, index });
      } else {
        duplicates++;
        if (JSON.stringify(stored) !== JSON.stringify(item)) this.conflicts.push({ key, stored, sent: item });
      }
    }
    this.appended += appended;
    this.duplicates += duplicates;
    answer(200, { appended, duplicates, highest_source: this.highest.get(tokenInstrument) ?? null }, parsed.data.events.length);
  }
}

/** The body as text, or null when it is longer than `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  return tooLarge ? null : Buffer.concat(chunks).toString('utf8');
}
