import type { App, webApi } from '@slack/bolt';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { LiveChange, LiveFeed } from '../live/instrument-view.ts';
import type { SqliteDatabase } from '../store/database.ts';
import { AlertPoster, DEFAULT_ALERT_RETRY_MS } from './alerts/alert-poster.ts';
import { Background } from './background.ts';
import { loadBolt, type Bolt } from './bolt.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackConfig } from './config/slack-config.ts';
import { userMapOf } from './config/user-map.ts';
import { DEFAULT_HOME_MIN_INTERVAL_MS, DEFAULT_HOME_RECENT_MS, HomePublisher } from './home/home-publisher.ts';
import { registerListeners } from './listeners/index.ts';
import { FreeNotifier } from './notify/free-notifier.ts';
import { StoredRunHistory, type RunHistory } from './run-history.ts';
import { webClientApi } from './slack-api.ts';
import { slackClientOptions } from './slack-client-options.ts';
import { receiverOf, slackConnection, type SlackConnection } from './slack-connection.ts';
import { botIdentity, isRefusedToken, platformError } from './slack-identity.ts';
import { SlackStore } from './store/slack-store.ts';

export interface SlackAppOptions {
  config: SlackConfig;
  feed: LiveFeed;
  /** The event store's database: the Slack tables live beside the events (migration 005). */
  db: SqliteDatabase;
  log: Logger;
  /** The lab's zone, where "today" starts on the home tab. */
  timeZone: string;
  now?: () => Date;
  /** Default: the store's `procedure_runs`. */
  runs?: RunHistory;
  /** The coarse refresh (countdowns, idle rule, retries); 0: no timer (tests call `tick`). */
  tickMs?: number;
  homeMinIntervalMs?: number;
  homeRecentMs?: number;
  /** The Web API client's retries (tests shorten them). */
  retryConfig?: webApi.RetryOptions;
  /** How Slack's requests arrive, when built beforehand (the server mounts `routes` before it starts the app). */
  connection?: SlackConnection;
  /** Socket Mode: wait before trying to connect again after a failure. */
  socketRetryMs?: number;
  /** How soon alerts kept in the outbox are tried again while Slack cannot be reached. */
  alertRetryMs?: number;
  /** How long `stop` waits for Slack calls in flight before it leaves them (their work stays queued). */
  stopGraceMs?: number;
}

export const DEFAULT_TICK_MS = 60_000;
/** Well within the 10 s a service manager (or a person at Ctrl+C) gives a stop. */
export const DEFAULT_STOP_GRACE_MS = 3000;

/**
 * The Slack app, started by `attune-monitor server` when Slack is configured: Bolt with the
 * listeners, the home tabs, the alert poster and the "free" notifier, all fed by the live feed.
 * In Socket Mode it dials out to Slack; in HTTP mode `routes` must be mounted on the server's
 * Hono app (`/slack/events`).
 */
export class SlackApp {
  readonly bolt: App;
  /** HTTP mode: the route for the server's Hono app; null in Socket Mode. */
  readonly routes: Hono | null;
  private readonly background: Background;
  private readonly unsubscribe: () => void;
  private tickTimer: NodeJS.Timeout | null = null;
  private socketTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(
    private readonly options: SlackAppOptions,
    private readonly lib: Bolt,
    bolt: App,
    routes: Hono | null,
    private readonly home: HomePublisher,
    private readonly alerts: AlertPoster,
    private readonly notifier: FreeNotifier,
  ) {
    this.bolt = bolt;
    this.routes = routes;
    this.background = new Background(options.log);
    this.unsubscribe = options.feed.subscribe((change) => this.onChange(change));
  }

  static async start(options: SlackAppOptions): Promise<SlackApp> {
    const { config, log } = options;
    const now = options.now ?? (() => new Date());
    const users = userMapOf(config);
    const lib = await loadBolt();
    const logger = boltLogger(lib, log);
    const clientOptions = slackClientOptions(config, logger, options.retryConfig);
    // Few retries at start: a Slack outage must not hold the server's start for minutes.
    const identity = await botIdentity(lib, new lib.webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: { retries: 2, minTimeout: 500 }, timeout: 5000 }), log);

    const connection = options.connection ?? slackConnection(config, log);
    const routes = connection.routes;
    const receiver = receiverOf(lib, connection, config, log, options.retryConfig);
    const bolt = new lib.App({
      token: config.botToken,
      ...(identity ?? {}),
      // The token was checked just now: Bolt need not call auth.test again, per event or at all.
      tokenVerificationEnabled: false,
      receiver,
      logger,
      clientOptions,
      convoStore: false,
    });
    const store = new SlackStore(options.db);
    const api = webClientApi(bolt.client);
    const feed = options.feed;
    const home = new HomePublisher({
      api,
      store,
      feed,
      runs: options.runs ?? new StoredRunHistory(options.db),
      now,
      timeZone: options.timeZone,
      recentMs: options.homeRecentMs ?? DEFAULT_HOME_RECENT_MS,
      minIntervalMs: options.homeMinIntervalMs ?? DEFAULT_HOME_MIN_INTERVAL_MS,
      log,
    });
    const alerts = new AlertPoster({ api, store, channel: config.alertChannel, users, now, log, retryMs: options.alertRetryMs ?? DEFAULT_ALERT_RETRY_MS });
    // Before any change is heard: what resolved while the server was stopped joins the outbox.
    alerts.reconcile(feed.openAlerts());
    const notifier = new FreeNotifier({ api, store, feed, now, idleMinutes: config.freeAfterIdleMinutes, log });
    registerListeners(bolt, { feed, home, notifier, now });

    const app = new SlackApp({ ...options, now }, lib, bolt, routes, home, alerts, notifier);
    if (config.connection.mode === 'socket') app.connectSocket();
    const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    if (tickMs > 0) {
      app.tickTimer = setInterval(() => void app.tick(), tickMs);
      app.tickTimer.unref();
    }
    // Tabs opened before a restart are brought up to date, waiting users checked, and alerts
    // left in the outbox delivered, at once.
    void app.tick();
    log.info({ mode: config.connection.mode, channel: config.alertChannel, mappedUsers: users.size, botUserId: identity?.botUserId ?? null }, 'Slack app started');
    return app;
  }

  /** The coarse refresh: countdowns on recent home tabs, the idle rule, alerts still in the outbox. */
  tick(): Promise<void> {
    return this.background.run('tick', async () => {
      await Promise.all([this.home.refreshAll(), this.notifier.tick(), this.alerts.deliver()]);
    });
  }

  /** Alerts waiting in the outbox (Slack unreachable, or refused them). */
  get queuedAlerts(): number {
    return this.alerts.queuedCount;
  }

  /** Resolves when nothing Slack-bound is left in flight (tests; stop). */
  async settled(): Promise<void> {
    await this.background.settled();
    await this.home.idle();
    await this.background.settled();
  }

  /**
   * Stops within `stopGraceMs` (and a second for Bolt) whatever Slack does: calls still in flight
   * then are left to fail on their own. Nothing is lost by it: alerts stay in the outbox until
   * Slack took them, "notify me" requests until their DM went out, and home tabs are published
   * again on the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    if (this.socketTimer !== null) clearTimeout(this.socketTimer);
    this.alerts.stop();
    const drained = (async () => {
      await this.home.stop();
      await this.settled();
    })();
    const graceMs = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    if (!(await within(drained, graceMs))) {
      this.options.log.warn({ queuedAlerts: this.alerts.queuedCount }, `Slack: calls still pending after ${graceMs} ms are left; queued alerts go out on the next start`);
    }
    this.background.detach();
    if (!(await within(this.bolt.stop(), 1000))) this.options.log.warn('Slack: Bolt did not stop within 1 s; left');
  }

  private onChange(change: LiveChange): void {
    // Alerts show on the home tab too.
    this.home.changed();
    if (change.type === 'instrument_changed') void this.background.run('free check', () => this.notifier.changed(change.view));
    else {
      this.alerts.handle(change);
      void this.background.run('alert delivery', () => this.alerts.deliver());
    }
  }

  /**
   * Socket Mode: Bolt's client reconnects by itself once connected, but gives up on a first
   * connection that fails (Slack unreachable): that is retried here. A refused app token is
   * logged once and not retried; alerts and home tabs still go out through the Web API.
   */
  private connectSocket(): void {
    this.bolt.start().then(
      () => this.options.log.info('Slack: connected in Socket Mode'),
      (error: unknown) => {
        if (this.stopped) return;
        const code = platformError(this.lib, error);
        if (code !== null && isRefusedToken(code)) {
          this.options.log.error(`Slack: SLACK_APP_TOKEN was refused (${code}); the home tab, buttons and /attune will not respond until it is fixed`);
          return;
        }
        this.options.log.warn({ err: error }, 'Slack: Socket Mode connection failed, trying again');
        this.socketTimer = setTimeout(() => this.connectSocket(), this.options.socketRetryMs ?? 30_000);
        this.socketTimer.unref();
      },
    );
  }
}


/** Whether `work` settled within `ms` (it runs on either way). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
