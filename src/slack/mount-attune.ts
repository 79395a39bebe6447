import type { App, types, webApi } from '@slack/bolt';
import { pino, type Logger } from 'pino';
import type { LiveChange, LiveFeed } from '../live/instrument-view.ts';
import { openDatabase, type SqliteDatabase } from '../store/database.ts';
import { ProcedureRunsReadModel } from '../store/procedure-runs-projection.ts';
import { AlertPoster, DEFAULT_ALERT_RETRY_MS } from './alerts/alert-poster.ts';
import { Background } from './background.ts';
import { loadBolt } from './bolt.ts';
import { boltLogger } from './bolt-logger.ts';
import { SlackUserMap } from './config/user-map.ts';
import { DEFAULT_HOME_MIN_INTERVAL_MS, DEFAULT_HOME_RECENT_MS, HomePublisher } from './home/home-publisher.ts';
import { homeSection } from './home/home-section.ts';
import { ATTUNE_COMMAND } from './listeners/commands/attune-command.ts';
import { registerListeners } from './listeners/index.ts';
import { FreeNotifier } from './notify/free-notifier.ts';
import { RemoteLiveFeed, type RemoteServer } from './remote/remote-live-feed.ts';
import { RemoteRunHistory } from './remote/remote-run-history.ts';
import { StoredRunHistory, type RunHistory } from './run-history.ts';
import { webClientApi } from './slack-api.ts';
import { slackClientOptions } from './slack-client-options.ts';
import { SlackStore } from './store/slack-store.ts';

/** The live view from this process: the server's feed and its event store's database (the Slack tables live beside the events). */
export interface LocalLive {
  feed: LiveFeed;
  db: SqliteDatabase;
  /** Default: the store's `procedure_runs`. */
  runs?: RunHistory;
}

/**
 * The live view from an attune-monitor server running elsewhere (its `/api/v1/stream`, read
 * token if it has one); what Attune must remember in Slack (posted alerts, the outbox, "notify
 * me" requests, who opened the tab) goes to a SQLite file of the bot's own.
 */
export interface RemoteLive extends RemoteServer {
  stateDbPath: string;
}

export interface AttuneMountOptions {
  live: LocalLive | RemoteLive;
  /**
   * `own`: Attune publishes the app's Home tab (an app has one; the bot must have no home of its
   * own). `section`: the bot composes its Home tab and puts `attuneHomeBlocks(user)` in it.
   */
  home: 'own' | 'section';
  /** Where alerts are posted (a channel id or name); null: no alerts. */
  alertChannel: string | null;
  /** The slash command Attune answers (default `/attune`); null: none. */
  command?: string | null;
  /** Default: the token of the App's own client. */
  botToken?: string;
  /** The Web API's base URL (tests: a fake Slack); default Slack's own. */
  apiUrl?: string | null;
  /** Attune user name → Slack user id, to mention the user in their alerts. */
  users?: SlackUserMap;
  /** "Free" also after this long idle with someone still logged in; null: only when nobody is. */
  freeAfterIdleMinutes?: number | null;
  /** The dashboard's address: an "Open dashboard" button on the home tab. */
  dashboardUrl?: string | null;
  /** `section`: the most blocks Attune's part may take of the bot's view (default 60 of its 100). */
  sectionMaxBlocks?: number;
  /**
   * `section`: called when a user's Attune part changed because of them (a button pressed), so
   * the bot publishes its Home tab again with `attuneHomeBlocks(user)`.
   */
  onHomeChanged?: (slackUserId: string) => void | Promise<void>;
  /** The lab's zone, where "today" starts on the home tab (default: this machine's). */
  timeZone?: string;
  log?: Logger;
  now?: () => Date;
  /** The coarse refresh (countdowns, idle rule, outbox); 0: no timer (tests call `tick`). */
  tickMs?: number;
  homeMinIntervalMs?: number;
  homeRecentMs?: number;
  /** The Web API client's retries (tests shorten them). */
  retryConfig?: webApi.RetryOptions;
  alertRetryMs?: number;
  /** How long `stop` waits for Slack calls in flight before it leaves them (their work stays queued). */
  stopGraceMs?: number;
}

/** What `mountAttune` gives back to the bot. */
export interface AttuneMount {
  /** Attune's part of a user's Home tab (header, summary, one card per instrument). */
  attuneHomeBlocks(slackUserId: string): types.KnownBlock[];
  /** The coarse refresh, at once (tests; the timer does it every `tickMs`). */
  tick(): Promise<void>;
  /** Resolves when nothing Slack-bound is left in flight. */
  settled(): Promise<void>;
  /** Alerts waiting in the outbox. */
  readonly queuedAlerts: number;
  /** Stops within a few seconds whatever Slack does; what was not delivered stays queued. The bot's App is left running. */
  stop(): Promise<void>;
}

export const DEFAULT_TICK_MS = 60_000;
/** Well within the 10 s a service manager (or a person at Ctrl+C) gives a stop. */
export const DEFAULT_STOP_GRACE_MS = 3000;
export const DEFAULT_SECTION_MAX_BLOCKS = 60;

/**
 * Attune in a Bolt JS `App`, its own or a lab's bot's: registers its listeners (its action ids
 * start with `attune_`, its command and the Home tab event only when asked for), posts alerts
 * and "free" DMs, keeps Home tabs fresh (`own`) or hands out its blocks (`section`). It adds no
 * global middleware: the bot's other listeners see every request as before. Slack calls go
 * through a client of its own with a short bounded retry policy (slack-client-options.ts).
 */
export async function mountAttune(app: App, options: AttuneMountOptions): Promise<AttuneMount> {
  const log = options.log ?? pino({ name: 'attune' });
  const now = options.now ?? (() => new Date());
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const lib = await loadBolt();
  const token = options.botToken ?? app.client.token;
  if (token === undefined) throw new Error('mountAttune: no bot token (pass botToken, or give the App a token)');
  const client = new lib.webApi.WebClient(token, slackClientOptions({ apiUrl: options.apiUrl ?? null }, boltLogger(lib, log), options.retryConfig));
  const api = webClientApi(client);

  const closers: Array<() => void> = [];
  let feed: LiveFeed;
  let db: SqliteDatabase;
  let runs: RunHistory;
  if ('feed' in options.live) {
    ({ feed, db } = options.live);
    runs = options.live.runs ?? new StoredRunHistory(new ProcedureRunsReadModel(db));
  } else {
    const remote = new RemoteLiveFeed({ url: options.live.url, readToken: options.live.readToken ?? null, log, now });
    db = openDatabase(options.live.stateDbPath, { now });
    closers.push(() => db.close());
    await remote.start();
    closers.unshift(() => remote.stop());
    const remoteRuns = new RemoteRunHistory(options.live, { feed: remote, timeZone, now, log });
    await remoteRuns.start();
    closers.unshift(() => remoteRuns.stop());
    feed = remote;
    runs = remoteRuns;
  }

  const store = new SlackStore(db);
  const command = options.command === undefined ? ATTUNE_COMMAND : options.command;
  const dashboardUrl = options.dashboardUrl ?? null;
  const own = options.home === 'own';
  const blockOptions = { command, dashboardUrl, maxBlocks: own ? undefined : (options.sectionMaxBlocks ?? DEFAULT_SECTION_MAX_BLOCKS) };
  const home = own
    ? new HomePublisher({
        api,
        store,
        feed,
        runs,
        now,
        timeZone,
        recentMs: options.homeRecentMs ?? DEFAULT_HOME_RECENT_MS,
        minIntervalMs: options.homeMinIntervalMs ?? DEFAULT_HOME_MIN_INTERVAL_MS,
        log,
        blocks: blockOptions,
      })
    : null;
  const alerts =
    options.alertChannel === null
      ? null
      : new AlertPoster({ api, store, channel: options.alertChannel, users: options.users ?? new SlackUserMap(), now, log, retryMs: options.alertRetryMs ?? DEFAULT_ALERT_RETRY_MS });
  // Before any change is heard: what resolved while the server was stopped joins the outbox.
  alerts?.reconcile(feed.openAlerts());
  const notifier = new FreeNotifier({ api, store, feed, now, idleMinutes: options.freeAfterIdleMinutes === undefined ? null : options.freeAfterIdleMinutes, log });
  registerListeners(app, {
    feed,
    notifier,
    now,
    command,
    homeOpened: home === null ? null : (user) => home.opened(user),
    refreshHome: async (user) => {
      if (home !== null) await home.refreshUser(user);
      else await options.onHomeChanged?.(user);
    },
  });

  const background = new Background(log);
  const tick = () =>
    background.run('tick', async () => {
      await Promise.all([home?.refreshAll(), notifier.tick(), alerts?.deliver()]);
    });
  const onChange = (change: LiveChange) => {
    home?.changed();
    if (change.type === 'instrument_changed') void background.run('free check', () => notifier.changed(change.view));
    else if (alerts !== null) {
      alerts.handle(change);
      void background.run('alert delivery', () => alerts.deliver());
    }
  };
  const unsubscribe = feed.subscribe(onChange);
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  const tickTimer = tickMs > 0 ? setInterval(() => void tick(), tickMs) : null;
  tickTimer?.unref();
  const settled = async () => {
    await background.settled();
    await home?.idle();
    await background.settled();
  };
  // Tabs opened before a restart brought up to date, waiting users checked, and alerts left in
  // the outbox delivered, at once.
  void tick();
  log.info({ home: options.home, command, alertChannel: options.alertChannel, live: 'feed' in options.live ? 'this process' : options.live.url }, 'Attune mounted in Slack');

  let stopping: Promise<void> | null = null;
  return {
    attuneHomeBlocks(slackUserId) {
      return homeSection({ feed, runs, store, now, timeZone }, slackUserId, blockOptions);
    },
    tick,
    settled,
    get queuedAlerts() {
      return alerts?.queuedCount ?? 0;
    },
    stop() {
      stopping ??= (async () => {
        unsubscribe();
        if (tickTimer !== null) clearInterval(tickTimer);
        alerts?.stop();
        const drained = (async () => {
          await home?.stop();
          await settled();
        })();
        const graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
        if (!(await within(drained, graceMs))) {
          log.warn({ queuedAlerts: alerts?.queuedCount ?? 0 }, `Slack: calls still pending after ${graceMs} ms are left; queued alerts go out on the next start`);
        }
        background.detach();
        for (const close of closers) close();
      })();
      return stopping;
    },
  };
}

/** Whether `work` settled within `ms` (it runs on either way). */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
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
