import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Bolt } from './bolt.ts';
import { SlackConfigError } from './config/slack-config.ts';

export interface BotIdentity {
  botId: string;
  botUserId: string;
}

/** Slack's answers that mean the token itself is wrong: retrying will not help, the admin must act. */
const REFUSED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * One `auth.test` at start: a refused token stops the server (a config error, said plainly); the
 * ids it answers are given to Bolt, which otherwise calls `auth.test` again for every event.
 * When Slack cannot be reached the server starts anyway (it must keep ingesting events) and
 * Bolt finds the ids itself later.
 */
export async function botIdentity(bolt: Bolt, client: webApi.WebClient, log: Logger): Promise<BotIdentity | null> {
  try {
    const answer = await client.auth.test();
    if (typeof answer.bot_id !== 'string' || typeof answer.user_id !== 'string') {
      throw new SlackConfigError('SLACK_BOT_TOKEN is not a bot token (auth.test answered without a bot id)');
    }
    return { botId: answer.bot_id, botUserId: answer.user_id };
  } catch (error) {
    if (error instanceof SlackConfigError) throw error;
    const code = platformError(bolt, error);
    if (code !== null && isRefusedToken(code)) throw new SlackConfigError(`SLACK_BOT_TOKEN was refused by Slack (${code})`);
    log.warn({ err: error }, 'Slack: auth.test failed; starting anyway, Bolt will ask again');
    return null;
  }
}

export function isRefusedToken(code: string): boolean {
  return REFUSED_TOKEN.has(code);
}

/** Slack's `error` of an `ok: false` answer (WebClient's platform error), null for any other failure. */
export function platformError(bolt: Bolt, error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== bolt.webApi.ErrorCode.PlatformError) return null;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : null;
}
