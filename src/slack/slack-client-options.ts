import type { webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from './config/slack-config.ts';

/**
 * How the Web API client treats Slack's limits: `rejectRateLimitedCalls: false` makes it wait out
 * a 429's Retry-After (pausing its queue, so the calls behind it wait too) and send the call
 * again; other failures (network, 5xx) are retried with backoff. Together with the app's own
 * retry on the next tick for what still fails, no alert or DM is dropped.
 */
export function slackClientOptions(config: SlackConfig, logger: BoltLogger, retryConfig?: webApi.RetryOptions): webApi.WebClientOptions {
  return {
    ...(config.apiUrl !== null ? { slackApiUrl: config.apiUrl } : {}),
    logger,
    rejectRateLimitedCalls: false,
    // Ten tries over a few minutes: long enough for an outage of a Slack edge or the lab's proxy,
    // short enough that a call is handed back to the tick's retry rather than held for half an hour.
    retryConfig: retryConfig ?? { retries: 10, factor: 1.6, minTimeout: 1000, maxTimeout: 60_000, randomize: true },
    // A call that hangs is a failure to retry, not a stall of the queue behind it.
    timeout: 30_000,
  };
}
