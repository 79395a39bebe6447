import type { Statement } from 'better-sqlite3';
import type { LiveAlert } from '../../live/instrument-view.ts';
import type { SqliteDatabase } from '../../store/database.ts';

/** Where an alert's channel message is, for `chat.update`. */
export interface PostedAlert {
  channel: string;
  ts: string;
  resolvedAt: string | null;
}

/** An alert waiting to be delivered to the channel (migrations/006_slack_outbox.sql). */
export interface QueuedAlert {
  seq: number;
  alert: LiveAlert;
  /** Found resolved at start-up: it resolved while the server was stopped, at a time not known. */
  resolvedWhileStopped: boolean;
  attempts: number;
}

/** A posted message whose alert was still open when last said. */
export interface OpenMessage {
  alertId: string;
  /** Null for messages posted before the alert was kept beside them. */
  alert: LiveAlert | null;
}

/**
 * The Slack app's memory in the store's SQLite file (tables of migrations/005_slack_messages.sql,
 * applied with the others when the store opens). Each call is one statement, so each is its own
 * transaction: a row is written right after the Slack call it records succeeded.
 */
export class SlackStore {
  private readonly selectAlert: Statement;
  private readonly insertAlert: Statement;
  private readonly resolveAlert: Statement;
  private readonly insertSubscription: Statement;
  private readonly deleteSubscription: Statement;
  private readonly selectSubscribers: Statement;
  private readonly selectSubscriptionsOfUser: Statement;
  private readonly selectSubscribedInstruments: Statement;
  private readonly upsertViewer: Statement;
  private readonly selectViewers: Statement;
  private readonly deleteViewers: Statement;
  private readonly upsertQueued: Statement;
  private readonly selectQueued: Statement;
  private readonly countQueued: Statement;
  private readonly selectQueuedIds: Statement;
  private readonly deleteQueued: Statement;
  private readonly deleteSent: Statement;
  private readonly countAttempt: Statement;
  private readonly selectOpenMessages: Statement;
  /** Records a delivered post and takes it off the outbox, together. */
  readonly posted: (seq: number, alert: LiveAlert, message: { channel: string; ts: string }, postedAt: string) => void;
  /** Records a delivered resolve and takes it off the outbox, together. */
  readonly resolved: (seq: number, alert: LiveAlert & { resolvedAt: string }) => void;

  constructor(db: SqliteDatabase) {
    this.selectAlert = db.prepare('SELECT channel, ts, resolved_at AS resolvedAt FROM slack_alert_messages WHERE alert_id = ?');
    this.insertAlert = db.prepare('INSERT INTO slack_alert_messages (alert_id, instrument_id, channel, ts, posted_at, resolved_at, alert) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.resolveAlert = db.prepare('UPDATE slack_alert_messages SET resolved_at = ?, alert = ? WHERE alert_id = ?');
    this.upsertQueued = db.prepare(`
      INSERT INTO slack_alert_outbox (alert_id, alert, resolved_while_stopped, queued_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (alert_id) DO UPDATE SET alert = excluded.alert, resolved_while_stopped = excluded.resolved_while_stopped`);
    this.selectQueued = db.prepare('SELECT seq, alert, resolved_while_stopped AS resolvedWhileStopped, attempts FROM slack_alert_outbox ORDER BY seq');
    this.countQueued = db.prepare('SELECT count(*) FROM slack_alert_outbox').pluck();
    this.selectQueuedIds = db.prepare('SELECT alert_id FROM slack_alert_outbox WHERE alert_id = ?').pluck();
    // Only the state that was sent: a resolve queued while its raise was on the way stays queued.
    this.deleteSent = db.prepare('DELETE FROM slack_alert_outbox WHERE seq = ? AND alert = ?');
    this.deleteQueued = db.prepare('DELETE FROM slack_alert_outbox WHERE seq = ?');
    this.countAttempt = db.prepare('UPDATE slack_alert_outbox SET attempts = attempts + 1 WHERE seq = ? RETURNING attempts').pluck();
    this.selectOpenMessages = db.prepare('SELECT alert_id AS alertId, alert FROM slack_alert_messages WHERE resolved_at IS NULL ORDER BY posted_at, alert_id');
    this.posted = db.transaction((seq: number, alert: LiveAlert, message: { channel: string; ts: string }, postedAt: string) => {
      const json = JSON.stringify(alert);
      this.insertAlert.run(alert.id, alert.instrumentId, message.channel, message.ts, postedAt, alert.resolvedAt, json);
      this.deleteSent.run(seq, json);
    });
    this.resolved = db.transaction((seq: number, alert: LiveAlert & { resolvedAt: string }) => {
      const json = JSON.stringify(alert);
      this.resolveAlert.run(alert.resolvedAt, json, alert.id);
      this.deleteSent.run(seq, json);
    });
    this.insertSubscription = db.prepare('INSERT INTO slack_free_subscriptions (instrument_id, slack_user_id, subscribed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.deleteSubscription = db.prepare('DELETE FROM slack_free_subscriptions WHERE instrument_id = ? AND slack_user_id = ?');
    this.selectSubscribers = db.prepare('SELECT slack_user_id FROM slack_free_subscriptions WHERE instrument_id = ? ORDER BY subscribed_at, slack_user_id').pluck();
    this.selectSubscriptionsOfUser = db.prepare('SELECT instrument_id FROM slack_free_subscriptions WHERE slack_user_id = ?').pluck();
    this.selectSubscribedInstruments = db.prepare('SELECT DISTINCT instrument_id FROM slack_free_subscriptions ORDER BY instrument_id').pluck();
    this.upsertViewer = db.prepare('INSERT INTO slack_home_viewers (slack_user_id, opened_at) VALUES (?, ?) ON CONFLICT (slack_user_id) DO UPDATE SET opened_at = excluded.opened_at');
    this.selectViewers = db.prepare('SELECT slack_user_id FROM slack_home_viewers WHERE opened_at >= ? ORDER BY slack_user_id').pluck();
    this.deleteViewers = db.prepare('DELETE FROM slack_home_viewers WHERE opened_at < ?');
  }

  postedAlert(alertId: string): PostedAlert | null {
    return (this.selectAlert.get(alertId) as PostedAlert | undefined) ?? null;
  }

  /** Queues the alert as it is now; an alert already waiting keeps its place and takes the new state. */
  queueAlert(alert: LiveAlert, at: string, resolvedWhileStopped = false): void {
    this.upsertQueued.run(alert.id, JSON.stringify(alert), resolvedWhileStopped ? 1 : 0, at);
  }

  isQueued(alertId: string): boolean {
    return this.selectQueuedIds.get(alertId) !== undefined;
  }

  /** The outbox in order of delivery. */
  queuedAlerts(): QueuedAlert[] {
    const rows = this.selectQueued.all() as Array<{ seq: number; alert: string; resolvedWhileStopped: number; attempts: number }>;
    return rows.map((row) => ({ seq: row.seq, alert: JSON.parse(row.alert) as LiveAlert, resolvedWhileStopped: row.resolvedWhileStopped === 1, attempts: row.attempts }));
  }

  /** How many alerts wait for Slack (without reading them). */
  queuedCount(): number {
    return this.countQueued.get() as number;
  }

  /** Slack refused it once more; returns how many times now. */
  countRefusal(seq: number): number {
    return this.countAttempt.get(seq) as number;
  }

  /** Takes an entry off the outbox with nothing to record (nothing left to say, or given up). */
  unqueue(seq: number): void {
    this.deleteQueued.run(seq);
  }

  /** Posted messages whose alert was open when last said. */
  openMessages(): OpenMessage[] {
    const rows = this.selectOpenMessages.all() as Array<{ alertId: string; alert: string | null }>;
    return rows.map((row) => ({ alertId: row.alertId, alert: row.alert === null ? null : (JSON.parse(row.alert) as LiveAlert) }));
  }

  subscribe(instrumentId: string, slackUserId: string, at: string): void {
    this.insertSubscription.run(instrumentId, slackUserId, at);
  }

  unsubscribe(instrumentId: string, slackUserId: string): void {
    this.deleteSubscription.run(instrumentId, slackUserId);
  }

  subscribersOf(instrumentId: string): string[] {
    return this.selectSubscribers.all(instrumentId) as string[];
  }

  subscriptionsOf(slackUserId: string): Set<string> {
    return new Set(this.selectSubscriptionsOfUser.all(slackUserId) as string[]);
  }

  subscribedInstruments(): string[] {
    return this.selectSubscribedInstruments.all() as string[];
  }

  homeOpened(slackUserId: string, at: string): void {
    this.upsertViewer.run(slackUserId, at);
  }

  /** Users who opened the home tab at or after `sinceIso`; older ones are forgotten. */
  homeViewersSince(sinceIso: string): string[] {
    this.deleteViewers.run(sinceIso);
    return this.selectViewers.all(sinceIso) as string[];
  }
}
