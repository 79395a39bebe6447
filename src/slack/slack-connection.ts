import type { Receiver, webApi } from '@slack/bolt';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Bolt } from './bolt.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackConfig } from './config/slack-config.ts';
import { RequestReceiver } from './http/request-receiver.ts';
import { slackEventsRoute } from './http/slack-events-route.ts';
import { slackClientOptions } from './slack-client-options.ts';

/** How Slack's requests reach Bolt, and (HTTP mode) the route that brings them. */
export interface SlackConnection {
  /** Null in Socket Mode until the app starts (Bolt's receiver needs Bolt loaded). */
  receiver: Receiver | null;
  /** HTTP mode: `POST /slack/events`, to mount on the server's Hono app; null in Socket Mode. */
  routes: Hono | null;
}

/**
 * Built before the server's app is (its routes are mounted then), and before Bolt is loaded:
 * HTTP mode needs no Bolt here. A receiver without a server of its own, behind a Hono route that
 * checks signatures against the wall clock (never a test's or a replay's clock); it answers 503
 * until the Slack app has started. Socket Mode: the receiver comes at start (`socketReceiver`).
 */
export function slackConnection(config: SlackConfig, log: Logger): SlackConnection {
  const connection = config.connection;
  if (connection.mode === 'socket') return { receiver: null, routes: null };
  const receiver = new RequestReceiver(log);
  return { receiver, routes: slackEventsRoute(receiver, { signingSecret: connection.signingSecret, now: () => new Date() }) };
}

/**
 * The receiver to give Bolt: the HTTP one built beforehand, or in Socket Mode Bolt's
 * SocketModeReceiver, whose own Web API client (for `apps.connections.open`) is pointed at
 * SLACK_API_URL too.
 */
export function receiverOf(bolt: Bolt, connection: SlackConnection, config: SlackConfig, log: Logger, retryConfig?: webApi.RetryOptions): Receiver {
  if (connection.receiver !== null) return connection.receiver;
  if (config.connection.mode !== 'socket') throw new Error('HTTP mode needs the receiver its route was built with');
  const appToken = config.connection.appToken;
  const logger = boltLogger(bolt, log);
  // Few retries per attempt: SlackApp tries the connection again on its own schedule.
  const clientOptions = { ...slackClientOptions(config, logger, retryConfig), retryConfig: { retries: 3 } };
  return new bolt.SocketModeReceiver({ appToken, logger, installerOptions: { clientOptions } });
}
