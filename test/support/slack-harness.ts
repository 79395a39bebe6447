import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino, type Logger } from 'pino';
import type { LiveAlert } from '../../src/live/instrument-view.ts';
import type { SlackConfig } from '../../src/slack/config/slack-config.ts';
import { SlackApp } from '../../src/slack/slack-app.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { ManualClock } from '../server/server-test-kit.ts';
import { FakeSlack } from './fake-slack.ts';
import { TestLiveFeed } from './test-live-feed.ts';

export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
export const ALERT_CHANNEL = 'C0ALERTS';

/** A pino logger writing JSON lines into an array, so tests can read what the app said. */
export function testLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines: () => lines };
}

export interface HarnessOptions {
  mode?: 'http' | 'socket';
  /** Socket Mode: the app token to use (default: the one the fake accepts). */
  appToken?: string;
  users?: Record<string, string>;
  idleMinutes?: number | null;
  at?: string;
  /** Reuse a database (a restart). */
  dbPath?: string;
  fake?: FakeSlack;
  /** Alerts open in the feed before the app starts (as the server's feed has them after reading the history). */
  openAlerts?: LiveAlert[];
  /** ATTUNE_PUBLIC_URL. */
  publicUrl?: string;
  /** The app's pause before trying the alert outbox again (default 100 ms). */
  alertRetryMs?: number;
}

/**
 * The Slack app as the server runs it, on real parts: a real EventStore file, the TestLiveFeed,
 * the fake Slack Web API, and (HTTP mode) the `/slack/events` route on a real Hono server on
 * 127.0.0.1. No timers: tests call `app.tick()` and `app.settled()`.
 */
export class SlackHarness {
  private constructor(
    readonly fake: FakeSlack,
    readonly app: SlackApp,
    readonly store: EventStore,
    readonly feed: TestLiveFeed,
    readonly clock: ManualClock,
    readonly dir: string,
    readonly dbPath: string,
    readonly logLines: () => Array<Record<string, unknown>>,
    private readonly server: ReturnType<typeof serve> | null,
    readonly eventsUrl: string,
    private readonly ownsFake: boolean,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<SlackHarness> {
    const fake = options.fake ?? (await FakeSlack.start());
    const dir = mkdtempSync(join(tmpdir(), 'attune-slack-'));
    const dbPath = options.dbPath ?? join(dir, 'store.db');
    // The app's "now" (what views say, what is historic), not its timers: tests move it by hand.
    const clock = new ManualClock(Date.parse(options.at ?? '2020-09-11T12:00:00.000Z'));
    const now = () => new Date(clock.now());
    const store = EventStore.open(dbPath, { now });
    const feed = new TestLiveFeed(store, now);
    for (const alert of options.openAlerts ?? []) feed.setConnectivity(alert.instrumentId, { state: 'offline' }, { change: 'alert_raised', alert });
    let userMapPath: string | null = null;
    if (options.users !== undefined) {
      userMapPath = join(dir, 'users.json');
      writeFileSync(userMapPath, JSON.stringify(options.users));
    }
    const config: SlackConfig = {
      botToken: fake.botToken,
      connection: options.mode === 'socket' ? { mode: 'socket', appToken: options.appToken ?? fake.appToken } : { mode: 'http', signingSecret: SIGNING_SECRET },
      apiUrl: fake.apiUrl,
      alertChannel: ALERT_CHANNEL,
      userMapPath,
      freeAfterIdleMinutes: options.idleMinutes === undefined ? 30 : options.idleMinutes,
      publicUrl: options.publicUrl ?? null,
    };
    const { log, lines } = testLogger();
    const app = await SlackApp.start({
      config,
      feed,
      db: store.connectionForOwnTables(),
      log,
      timeZone: 'UTC',
      now,
      tickMs: 0,
      homeMinIntervalMs: 0,
      retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 },
      socketRetryMs: 60_000,
      alertRetryMs: options.alertRetryMs ?? 100,
    });
    let server: ReturnType<typeof serve> | null = null;
    let eventsUrl = '';
    if (app.routes !== null) {
      const http = new Hono();
      http.route('/', app.routes);
      const port = await new Promise<number>((resolve) => {
        server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
      });
      eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    }
    await app.settled();
    return new SlackHarness(fake, app, store, feed, clock, dir, dbPath, lines, server, eventsUrl, options.fake === undefined);
  }

  /** Stops the app and the store; keeps the fake and the database file when asked (a restart). */
  async close(options: { keep?: boolean } = {}): Promise<void> {
    await this.app.stop();
    const server = this.server;
    if (server !== null) {
      // fetch keeps connections alive: close them, or close() waits for their idle timeout.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.store.close();
    if (!options.keep) {
      if (this.ownsFake) await this.fake.close();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
