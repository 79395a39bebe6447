import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { LiveFeed } from '../../live/instrument-view.ts';
import { homeView, type HomeOptions } from '../blocks/home-view.ts';
import { startOfDay, type RunBrief, type RunHistory } from '../run-history.ts';
import type { SlackApi } from '../slack-api.ts';
import type { SlackStore } from '../store/slack-store.ts';

export interface HomePublisherOptions {
  api: SlackApi;
  store: SlackStore;
  feed: LiveFeed;
  runs: RunHistory;
  now: () => Date;
  /** The lab's zone: where "today" starts. */
  timeZone: string;
  /** Home tabs are kept up to date for users who opened theirs this recently. */
  recentMs: number;
  /**
   * Least time between two refreshes of every recent tab after changes (wall clock): steps arrive
   * every few seconds, and views.publish is rate limited per workspace.
   */
  minIntervalMs: number;
  log: Logger;
  /** The dashboard button, the command named when not all fit. */
  blocks?: HomeOptions;
}

export const DEFAULT_HOME_RECENT_MS = 24 * 3_600_000;
export const DEFAULT_HOME_MIN_INTERVAL_MS = 10_000;

/**
 * Publishes each recent viewer's home tab: on opening it, when the instruments change, and on the
 * tick (the countdown moves with time alone). A view whose blocks hash as the last one published
 * to that user is not sent again. All publishing runs in one queue, so an older view can never
 * overwrite a newer one; changes in quick succession make a single refresh.
 */
export class HomePublisher {
  private readonly published = new Map<string, string>();
  private tail: Promise<void> = Promise.resolve();
  private refreshQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private lastRefreshMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: HomePublisherOptions) {}

  /** `app_home_opened`: remember the viewer, publish their tab now. */
  opened(slackUserId: string): Promise<void> {
    this.options.store.homeOpened(slackUserId, this.options.now().toISOString());
    return this.enqueue(() => this.publishTo([slackUserId]));
  }

  /** Publishes one user's tab now (after they pressed a button on it). */
  refreshUser(slackUserId: string): Promise<void> {
    return this.enqueue(() => this.publishTo([slackUserId]));
  }

  /**
   * Something shown changed: refresh every recent tab, at most once per `minIntervalMs`. Changes
   * that arrive while a refresh is waiting join it: a burst (an agent catching up) makes one.
   */
  changed(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    const wait = this.lastRefreshMs + this.options.minIntervalMs - Date.now();
    if (wait <= 0) {
      void this.enqueue(() => this.refreshNow());
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.enqueue(() => this.refreshNow());
    }, wait);
    this.timer.unref();
  }

  /** The tick: every recent tab, whatever the throttle says. */
  refreshAll(): Promise<void> {
    return this.enqueue(() => this.refreshNow());
  }

  /** Waits for the queue to drain; a pending throttled refresh is dropped (for stop). */
  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.tail;
  }

  /** Resolves when all publishing queued so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }

  private refreshNow(): Promise<void> {
    this.refreshQueued = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastRefreshMs = Date.now();
    const since = new Date(this.options.now().getTime() - this.options.recentMs).toISOString();
    return this.publishTo(this.options.store.homeViewersSince(since));
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.tail.then(work).catch((error: unknown) => this.options.log.error({ err: error }, 'Slack: home tab refresh failed'));
    this.tail = next;
    return next;
  }

  private async publishTo(users: readonly string[]): Promise<void> {
    if (users.length === 0) return;
    const { feed, store, api, log } = this.options;
    const nowMs = this.options.now().getTime();
    const instruments = feed.instruments();
    const dayStart = startOfDay(nowMs, this.options.timeZone);
    const today = new Map<string, RunBrief[]>(instruments.map((view) => [view.id, this.options.runs.runsSince(view.id, dayStart)]));
    for (const user of users) {
      const view = homeView({ instruments, today, subscriptions: store.subscriptionsOf(user) }, nowMs, this.options.blocks);
      const hash = createHash('sha256').update(JSON.stringify(view)).digest('base64');
      if (this.published.get(user) === hash) continue;
      try {
        await api.publishHome(user, view);
        this.published.set(user, hash);
      } catch (error) {
        // Left unrecorded: the next change or tick publishes it again.
        log.warn({ err: error, user }, 'Slack: home tab not published');
      }
    }
  }
}
