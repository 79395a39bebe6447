import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { localToUtcConverter, systemTimeZone } from '../../src/events/local-time.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import type { LiveChange } from '../../src/live/instrument-view.ts';
import { ServerLiveFeed } from '../../src/live/live-feed.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import { bearer, EVENTS_PATH, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import type { HeartbeatRequest } from '../../src/protocol/heartbeat-api.ts';
import { createApp, type ServerApp } from '../../src/server/create-app.ts';
import { SERVER_DEFAULTS, type ServerConfig } from '../../src/server/server-config.ts';
import type { Clock, Every } from '../../src/shared/clock.ts';
import { slackHomeBlocks } from '../../src/slack/home/home-blocks.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { rawLinesOf } from '../../src/store/import-log-files.ts';
import type { TokenStore } from '../../src/store/token-store.ts';
import { sqliteOf } from '../store/store-test-kit.ts';

// The server's parts in-process on a real SQLite file, with time in the test's hands: a clock
// moved by hand and ticks run on demand (nothing sleeps).

export const INSTRUMENT = 'nxt-1';
export const OTHER = 'nxt-2';
export const TOKEN = 'token-of-nxt-1';
export const OTHER_TOKEN = 'token-of-nxt-2';
export const FIXTURE_DIR = new URL('../../fixtures/attune/', import.meta.url).pathname;
export const FIXTURE_NAME = 'System_2020-09-11_12-26-48.log';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attune-server-test-'));
  made.push(dir);
  return dir;
}

export class ManualClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** `Every` whose ticks run when the test says. */
export class ManualTicks {
  private readonly ticks = new Set<() => void>();
  readonly every: Every = (_ms, tick) => {
    this.ticks.add(tick);
    return () => this.ticks.delete(tick);
  };
  run(): void {
    for (const tick of [...this.ticks]) tick();
  }
  get count(): number {
    return this.ticks.size;
  }
}

export interface World {
  dir: string;
  dbPath: string;
  store: EventStore;
  feed: ServerLiveFeed;
  tokens: TokenStore;
  app: ServerApp;
  clock: ManualClock;
  ticks: ManualTicks;
  changes: LiveChange[];
  errors: unknown[];
  /** Closes this server (the database stays, for a restart on it). */
  close(): void;
}

/** A server's parts on `dbPath` (a new file in a temp folder by default), started at `startAt`; `slackHomeBlocks: false`: composed without them. */
export function startWorld(options: { dbPath?: string; startAt?: string; config?: Partial<ServerConfig>; slackHomeBlocks?: boolean } = {}): World {
  const dbPath = options.dbPath ?? join(tempDir(), 'server.db');
  const dir = join(dbPath, '..');
  const clock = new ManualClock(Date.parse(options.startAt ?? '2020-09-11T12:00:00.000Z'));
  const ticks = new ManualTicks();
  const config = { ...SERVER_DEFAULTS, ...options.config };
  const store = EventStore.open(dbPath, { now: () => new Date(clock.now()) });
  const tokens = store.agentTokens(() => new Date(clock.now()));
  tokens.register(INSTRUMENT, TOKEN);
  tokens.register(OTHER, OTHER_TOKEN);
  const errors: unknown[] = [];
  const feed = new ServerLiveFeed({ store, clock, config, serverStartedAt: clock.now(), onError: (error) => errors.push(error) });
  feed.start(ticks.every);
  const changes: LiveChange[] = [];
  feed.subscribe((change) => changes.push(change));
  const log = pino({ level: 'silent' });
  // As the server command composes it: the Slack side's home blocks, whether or not a Slack app runs.
  const homeBlocks = options.slackHomeBlocks === false ? {} : { slackHomeBlocks: slackHomeBlocks({ timeZone: systemTimeZone(), publicUrl: null }) };
  const app = createApp({ store, feed, tokens, clock, log, startedAt: clock.now(), ...homeBlocks });
  return {
    dir,
    dbPath,
    store,
    feed,
    tokens,
    app,
    clock,
    ticks,
    changes,
    errors,
    close: () => {
      feed.stop();
      store.close();
    },
  };
}

export function postJson(app: ServerApp, path: string, body: unknown, token: string | null = TOKEN, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: bearer(token) }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function postEvents(app: ServerApp, events: readonly EventItem[], instrumentId = INSTRUMENT, token: string | null = TOKEN) {
  return postJson(app, EVENTS_PATH, { instrument_id: instrumentId, events }, token);
}

export function heartbeat(clock: Clock, overrides: Partial<HeartbeatRequest> = {}): HeartbeatRequest {
  return {
    instrument_id: INSTRUMENT,
    agent_version: '0.1.0',
    host_name: 'ATTUNE-PC',
    uptime_s: 12,
    logs_dir: 'D:\\AttuneLogs',
    logs_dir_readable: true,
    following: { file: FIXTURE_NAME, size: 1000, offset: 1000 },
    last_line_at: null,
    attune_running: true,
    outbox_depth: 0,
    outbox_bytes: 0,
    last_error: null,
    sent_at: new Date(clock.now()).toISOString(),
    ...overrides,
  };
}

export function postHeartbeat(world: World, overrides: Partial<HeartbeatRequest> = {}, token: string | null = TOKEN) {
  return postJson(world.app, HEARTBEAT_PATH, heartbeat(world.clock, overrides), token);
}

/** The log files' events with their raw lines, as an agent ships them. */
export function itemsOf(paths: string[], zone = 'UTC', endNewest = false): EventItem[] {
  const items: EventItem[] = [];
  readLogFiles(listLogFiles(paths), {
    toUtc: localToUtcConverter(zone),
    endNewest,
    onEvents: (events: LogEvent[], lines) => {
      const raws = rawLinesOf(events, lines);
      events.forEach((event, i) => items.push({ event, raw: raws[i] ?? null }));
    },
  });
  return items;
}

/** Sends items in batches of `size` (as an agent does); returns the answers' JSON. */
export async function shipInBatches(app: ServerApp, items: readonly EventItem[], size = 200): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (let i = 0; i < items.length; i += size) {
    const response = await postEvents(app, items.slice(i, i + size));
    if (response.status !== 200) throw new Error(`batch at ${i}: ${response.status} ${await response.text()}`);
    answers.push(await response.json());
  }
  return answers;
}

export function count(store: EventStore, table: string): number {
  return sqliteOf(store).prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Rows that count for "nothing stored". */
export function storedCounts(store: EventStore): Record<string, number> {
  return Object.fromEntries(['events', 'agent_heartbeats', 'instrument_connectivity', 'procedure_runs', 'agent_tokens'].map((table) => [table, count(store, table)]));
}
