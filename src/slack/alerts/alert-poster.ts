import type { Logger } from 'pino';
import type { LiveAlert, LiveChange } from '../../live/instrument-view.ts';
import { KeyedQueue } from '../background.ts';
import { alertMessage } from '../blocks/alert-message.ts';
import type { SlackUserMap } from '../config/user-map.ts';
import type { SlackApi } from '../slack-api.ts';
import type { SlackStore } from '../store/slack-store.ts';

export type AlertChange = Extract<LiveChange, { type: 'alert_raised' | 'alert_resolved' }>;

export interface AlertPosterOptions {
  api: SlackApi;
  store: SlackStore;
  channel: string;
  users: SlackUserMap;
  now: () => Date;
  log: Logger;
}

/**
 * Alerts to the channel: each alert id is posted once (the store remembers where, so a restart
 * neither re-posts nor loses the message) and updated in place when it resolves. Historic alerts
 * (from imported or long-delayed events) are not posted; a historic resolve still updates a
 * message that was posted live. Work on one alert id runs in order; a call that still fails after
 * the client's own retries is kept and tried again on the next tick, so nothing is dropped.
 */
export class AlertPoster {
  private readonly queue = new KeyedQueue();
  /** Alerts whose post or update failed, by id: the latest state wins. */
  private readonly unsent = new Map<string, LiveAlert>();

  constructor(private readonly options: AlertPosterOptions) {}

  handle(change: AlertChange): Promise<void> {
    const { alert } = change;
    if (change.type === 'alert_raised' && change.historic) return Promise.resolve();
    return this.queue.enqueue(alert.id, () => this.bring(alert, change.type === 'alert_raised'));
  }

  /** Tries again what failed before. */
  retryUnsent(): Promise<void> {
    const alerts = [...this.unsent.values()];
    return Promise.all(alerts.map((alert) => this.queue.enqueue(alert.id, () => this.bring(alert, alert.resolvedAt === null)))).then(() => undefined);
  }

  get unsentCount(): number {
    return this.unsent.size;
  }

  /** Makes the channel show `alert` as it is now: posted if new, updated if it resolved. */
  private async bring(alert: LiveAlert, live: boolean): Promise<void> {
    const { store, api, log } = this.options;
    const posted = store.postedAlert(alert.id);
    const pending = this.unsent.get(alert.id);
    this.unsent.delete(alert.id);
    const message = alertMessage(alert, this.options.users.slackUserOf(alert.user));
    try {
      if (posted === null) {
        // A resolve of an alert never posted is only shown if its raise was live but failed to send.
        if (!live && pending === undefined) return;
        const at = this.options.now().toISOString();
        const where = await api.postMessage(this.options.channel, message);
        store.savePostedAlert(alert.id, alert.instrumentId, where, at, alert.resolvedAt);
        log.info({ alert: alert.id, ts: where.ts }, 'Slack: alert posted');
      } else if (alert.resolvedAt !== null && posted.resolvedAt === null) {
        await api.updateMessage(posted.channel, posted.ts, message);
        store.markAlertResolved(alert.id, alert.resolvedAt);
        log.info({ alert: alert.id, ts: posted.ts }, 'Slack: alert resolved');
      }
    } catch (error) {
      this.unsent.set(alert.id, alert);
      log.warn({ err: error, alert: alert.id }, 'Slack: alert not sent, will retry on the next tick');
    }
  }
}
