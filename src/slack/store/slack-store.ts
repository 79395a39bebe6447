import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../store/database.ts';

/** Where an alert's channel message is, for `chat.update`. */
export interface PostedAlert {
  channel: string;
  ts: string;
  resolvedAt: string | null;
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

  constructor(db: SqliteDatabase) {
    this.selectAlert = db.prepare('SELECT channel, ts, resolved_at AS resolvedAt FROM slack_alert_messages WHERE alert_id = ?');
    this.insertAlert = db.prepare('INSERT INTO slack_alert_messages (alert_id, instrument_id, channel, ts, posted_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.resolveAlert = db.prepare('UPDATE slack_alert_messages SET resolved_at = ? WHERE alert_id = ?');
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

  savePostedAlert(alertId: string, instrumentId: string, message: { channel: string; ts: string }, postedAt: string, resolvedAt: string | null): void {
    this.insertAlert.run(alertId, instrumentId, message.channel, message.ts, postedAt, resolvedAt);
  }

  markAlertResolved(alertId: string, resolvedAt: string): void {
    this.resolveAlert.run(resolvedAt, alertId);
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
