import { SocketModeReceiver, type Receiver, type webApi } from '@slack/bolt';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { boltLogger } from './bolt-logger.ts';
import type { SlackConfig } from './config/slack-config.ts';
import { RequestReceiver } from './http/request-receiver.ts';
import { slackEventsRoute } from './http/slack-events-route.ts';
import { slackClientOptions } from './slack-client-options.ts';

/** How Slack's requests reach Bolt, and (HTTP mode) the route that brings them. */
export interface SlackConnection {
  receiver: Receiver;
  /** HTTP mode: `POST /slack/events`, to mount on the server's Hono app; null in Socket Mode. */
  routes: Hono | null;
}

/**
 * Built before the server's app is (its routes are mounted then), and before Bolt exists: the
 * HTTP receiver answers 503 until the Slack app has started. Socket Mode: Bolt's
 * SocketModeReceiver, whose own Web API client (for `apps.connections.open`) is pointed at
 * SLACK_API_URL too. HTTP: a receiver without a server of its own, behind a Hono route that
 * checks signatures against the wall clock (never a test's or a replay's clock).
 */
export function slackConnection(config: SlackConfig, log: Logger, retryConfig?: webApi.RetryOptions): SlackConnection {
  const connection = config.connection;
  if (connection.mode === 'socket') {
    const logger = boltLogger(log);
    // Few retries per attempt: SlackApp tries the connection again on its own schedule.
    const clientOptions = { ...slackClientOptions(config, logger, retryConfig), retryConfig: { retries: 3 } };
    return { receiver: new SocketModeReceiver({ appToken: connection.appToken, logger, installerOptions: { clientOptions } }), routes: null };
  }
  const receiver = new RequestReceiver(log);
  return { receiver, routes: slackEventsRoute(receiver, { signingSecret: connection.signingSecret, now: () => new Date() }) };
}
