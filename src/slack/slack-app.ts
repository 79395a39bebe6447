import type { App, webApi } from '@slack/bolt';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { LiveFeed } from '../live/instrument-view.ts';
import type { SqliteDatabase } from '../store/database.ts';
import { loadBolt, type Bolt } from './bolt.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackConfig } from './config/slack-config.ts';
import { userMapOf } from './config/user-map.ts';
import { mountAttune, within, type AttuneMount, type AttuneMountOptions } from './mount-attune.ts';
import type { RunHistory } from './run-history.ts';
import { slackClientOptions } from './slack-client-options.ts';
import { receiverOf, slackConnection, type SlackConnection } from './slack-connection.ts';
import { botIdentity, isRefusedToken, platformError } from './slack-identity.ts';

export { DEFAULT_STOP_GRACE_MS, DEFAULT_TICK_MS } from './mount-attune.ts';

export interface SlackAppOptions extends Pick<AttuneMountOptions, 'tickMs' | 'homeMinIntervalMs' | 'homeRecentMs' | 'retryConfig' | 'alertRetryMs' | 'stopGraceMs'> {
  config: SlackConfig;
  feed: LiveFeed;
  /** The event store's database: the Slack tables live beside the events (migrations 005, 006). */
  db: SqliteDatabase;
  log: Logger;
  /** The lab's zone, where "today" starts on the home tab. */
  timeZone: string;
  now?: () => Date;
  /** Default: the store's `procedure_runs`. */
  runs?: RunHistory;
  /** How Slack's requests arrive, when built beforehand (the server mounts `routes` before it starts the app). */
  connection?: SlackConnection;
  /** Socket Mode: wait before trying to connect again after a failure. */
  socketRetryMs?: number;
  retryConfig?: webApi.RetryOptions;
}

/**
 * The Slack app, started by `attune-monitor server` when Slack is configured: a Bolt App of its
 * own, with Attune mounted into it (`mountAttune`, as a lab's bot would) and the Home tab its
 * own. In Socket Mode it dials out to Slack; in HTTP mode `routes` must be mounted on the
 * server's Hono app (`/slack/events`).
 */
export class SlackApp {
  readonly bolt: App;
  /** HTTP mode: the route for the server's Hono app; null in Socket Mode. */
  readonly routes: Hono | null;
  private socketTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(
    private readonly options: SlackAppOptions,
    private readonly lib: Bolt,
    bolt: App,
    routes: Hono | null,
    private readonly attune: AttuneMount,
  ) {
    this.bolt = bolt;
    this.routes = routes;
  }

  static async start(options: SlackAppOptions): Promise<SlackApp> {
    const { config, log } = options;
    const users = userMapOf(config);
    const lib = await loadBolt();
    const logger = boltLogger(lib, log);
    const clientOptions = slackClientOptions(config, logger, options.retryConfig);
    // Few retries at start: a Slack outage must not hold the server's start for minutes.
    const identity = await botIdentity(lib, new lib.webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: { retries: 2, minTimeout: 500 }, timeout: 5000 }), log);

    const connection = options.connection ?? slackConnection(config, log);
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
    const attune = await mountAttune(bolt, {
      live: { feed: options.feed, db: options.db, ...(options.runs === undefined ? {} : { runs: options.runs }) },
      home: 'own',
      alertChannel: config.alertChannel,
      botToken: config.botToken,
      apiUrl: config.apiUrl,
      users,
      freeAfterIdleMinutes: config.freeAfterIdleMinutes,
      dashboardUrl: config.publicUrl,
      timeZone: options.timeZone,
      log,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...pick(options, ['tickMs', 'homeMinIntervalMs', 'homeRecentMs', 'retryConfig', 'alertRetryMs', 'stopGraceMs']),
    });

    const app = new SlackApp(options, lib, bolt, connection.routes, attune);
    if (config.connection.mode === 'socket') app.connectSocket();
    log.info({ mode: config.connection.mode, channel: config.alertChannel, mappedUsers: users.size, botUserId: identity?.botUserId ?? null }, 'Slack app started');
    return app;
  }

  /** The coarse refresh: countdowns on recent home tabs, the idle rule, alerts still in the outbox. */
  tick(): Promise<void> {
    return this.attune.tick();
  }

  /** Resolves when nothing Slack-bound is left in flight (tests). */
  settled(): Promise<void> {
    return this.attune.settled();
  }

  /** Alerts waiting in the outbox (Slack unreachable, or refused them). */
  get queuedAlerts(): number {
    return this.attune.queuedAlerts;
  }

  /**
   * Stops within a few seconds whatever Slack does: calls still in flight then are left to fail
   * on their own. Nothing is lost by it: alerts stay in the outbox until Slack took them, "notify
   * me" requests until their DM went out, and home tabs are published again on the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.socketTimer !== null) clearTimeout(this.socketTimer);
    await this.attune.stop();
    if (!(await within(this.bolt.stop(), 1000))) this.options.log.warn('Slack: Bolt did not stop within 1 s; left');
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

/** The options among `keys` that are set (exactOptionalPropertyTypes: undefined is not passed on). */
function pick<T extends object, K extends keyof T>(options: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]])) as Partial<Pick<T, K>>;
}
