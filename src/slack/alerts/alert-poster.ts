import type { Logger } from 'pino';
import type { LiveAlert, LiveChange } from '../../live/instrument-view.ts';
import { alertMessage } from '../blocks/alert-message.ts';
import type { SlackUserMap } from '../config/user-map.ts';
import { isSlackRefusal, type SlackApi } from '../slack-api.ts';
import type { QueuedAlert, SlackStore } from '../store/slack-store.ts';

export type AlertChange = Extract<LiveChange, { type: 'alert_raised' | 'alert_resolved' }>;

export interface AlertPosterOptions {
  api: SlackApi;
  store: SlackStore;
  channel: string;
  users: SlackUserMap;
  now: () => Date;
  log: Logger;
  /** How soon the outbox is tried again after Slack could not be reached (or refused an alert). */
  retryMs: number;
}

export const DEFAULT_ALERT_RETRY_MS = 15_000;
/** Refusals by Slack itself (`ok: false`, e.g. `channel_not_found`) before an alert is given up, logged. */
export const MAX_REFUSALS = 10;

/**
 * Alerts to the channel, through an outbox in SQLite. A live raise, and the resolve of an alert
 * that was posted or is still waiting, are queued first (one row per alert: a resolve replaces
 * its waiting raise, so an alert that resolved before Slack took it is posted once, resolved),
 * then delivered one at a time in the order they were queued. While Slack cannot be reached the
 * queue waits and is tried again every `retryMs` (and on each tick), across restarts too; an
 * alert Slack refuses is tried again later without holding up the others, and given up after
 * `MAX_REFUSALS`. Each message's channel and ts are kept, so a resolve updates it in place.
 * Historic alerts (from imported or long-delayed events) are not posted.
 */
export class AlertPoster {
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: AlertPosterOptions) {}

  /** Queues what the channel must show of this change (synchronously: a stop right after loses nothing); `deliver` sends it. */
  handle(change: AlertChange): void {
    const { alert } = change;
    const { store } = this.options;
    if (change.type === 'alert_raised') {
      if (change.historic || store.postedAlert(alert.id) !== null) return;
    } else {
      const posted = store.postedAlert(alert.id);
      const shown = posted !== null && posted.resolvedAt === null;
      // A resolve of an alert never posted (historic) has nothing to change in the channel.
      if (!shown && !store.isQueued(alert.id)) return;
    }
    store.queueAlert(alert, this.options.now().toISOString());
  }

  /**
   * At start-up: messages of alerts that are no longer open resolved while the server was
   * stopped; they are queued to be rewritten as resolved.
   */
  reconcile(openAlerts: readonly LiveAlert[]): number {
    const { store, log } = this.options;
    const open = new Set(openAlerts.map((alert) => alert.id));
    let queued = 0;
    for (const message of store.openMessages()) {
      if (open.has(message.alertId) || store.isQueued(message.alertId)) continue;
      if (message.alert === null) {
        log.warn({ alert: message.alertId }, 'Slack: an alert resolved while the server was stopped, but its message predates what is needed to rewrite it');
        continue;
      }
      const at = this.options.now().toISOString();
      store.queueAlert({ ...message.alert, resolvedAt: at }, at, true);
      queued += 1;
    }
    if (queued > 0) log.info({ alerts: queued }, 'Slack: alerts resolved while the server was stopped are queued to be marked resolved');
    return queued;
  }

  /** Delivers what is queued, in order; one delivery runs at a time (a call made meanwhile runs it once more after). */
  deliver(): Promise<void> {
    if (this.draining !== null) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          await this.drainOnce();
        } while (this.drainAgain && !this.stopped);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  get queuedCount(): number {
    return this.options.store.queuedCount();
  }

  /** No new delivery starts; what is queued stays queued for the next start. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async drainOnce(): Promise<void> {
    const { store, log } = this.options;
    let retry = false;
    for (const entry of store.queuedAlerts()) {
      if (this.stopped) return;
      try {
        await this.send(entry);
      } catch (error) {
        retry = true;
        if (!isSlackRefusal(error)) {
          // Slack cannot be reached: the rest waits behind this one, in order.
          log.warn({ err: error, alert: entry.alert.id, queued: store.queuedCount() }, 'Slack: unreachable, alerts kept in the outbox');
          break;
        }
        const refusals = store.countRefusal(entry.seq);
        if (refusals >= MAX_REFUSALS) {
          store.unqueue(entry.seq);
          log.error({ err: error, alert: entry.alert.id }, `Slack: refused an alert ${refusals} times, giving it up`);
        } else {
          log.warn({ err: error, alert: entry.alert.id, refusals }, 'Slack: refused an alert, will try again');
        }
      }
    }
    if (retry) this.retryLater();
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.deliver().catch((error: unknown) => this.options.log.error({ err: error }, 'Slack: alert delivery failed'));
    }, this.options.retryMs);
    this.retryTimer.unref();
  }

  /** Makes the channel show the queued alert as it is now: posted if new, updated if it resolved since. */
  private async send(entry: QueuedAlert): Promise<void> {
    const { store, api, log } = this.options;
    const { alert } = entry;
    const posted = store.postedAlert(alert.id);
    const message = alertMessage(alert, this.options.users.slackUserOf(alert.user), { resolvedWhileStopped: entry.resolvedWhileStopped });
    if (posted === null) {
      const where = await api.postMessage(this.options.channel, message);
      store.posted(entry.seq, alert, where, this.options.now().toISOString());
      log.info({ alert: alert.id, ts: where.ts, resolved: alert.resolvedAt !== null }, 'Slack: alert posted');
    } else if (alert.resolvedAt !== null && posted.resolvedAt === null) {
      await api.updateMessage(posted.channel, posted.ts, message);
      store.resolved(entry.seq, { ...alert, resolvedAt: alert.resolvedAt });
      log.info({ alert: alert.id, ts: posted.ts }, 'Slack: alert resolved');
    } else {
      store.unqueue(entry.seq);
    }
  }
}
