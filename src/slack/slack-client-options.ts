import type { webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from './config/slack-config.ts';

/** Every Slack call: four tries within about half a minute (Bolt's default would retry for 30 minutes). */
export const SLACK_RETRY_POLICY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 8000, randomize: true };
/** A call that hangs is a failure to retry, not a stall of the queue behind it. */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

/**
 * How the Web API client treats Slack's limits and outages: `rejectRateLimitedCalls: false` makes
 * it wait out a 429's Retry-After (pausing its queue, so the calls behind it wait too) and send
 * the call again; other failures (network, 5xx, a timeout) are retried a few times with backoff,
 * then handed back. What still fails is kept by the app (alerts in the SQLite outbox, "notify me"
 * requests in their table, home tabs re-published on the next change or tick), so no call needs
 * to wait long: a short policy keeps a stop quick and brings alerts out soon after Slack is back.
 */
export function slackClientOptions(config: Pick<SlackConfig, 'apiUrl'>, logger: BoltLogger, retryConfig?: webApi.RetryOptions): webApi.WebClientOptions {
  return {
    ...(config.apiUrl !== null ? { slackApiUrl: config.apiUrl } : {}),
    logger,
    rejectRateLimitedCalls: false,
    retryConfig: retryConfig ?? SLACK_RETRY_POLICY,
    timeout: SLACK_CALL_TIMEOUT_MS,
  };
}
