import type { types, webApi } from '@slack/bolt';
import type { SlackMessage } from './blocks/status-message.ts';

/**
 * The few Web API calls the app makes, so the parts that decide what to say do not depend on
 * the whole WebClient. A failed call throws (WebClient's `WebAPIPlatformError` for `ok: false`);
 * rate limits never reach here: the client waits them out and retries (see slack-client-options.ts).
 */
export interface SlackApi {
  publishHome(slackUserId: string, view: types.HomeView): Promise<void>;
  postMessage(channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** Sends a direct message from the bot (opening the DM channel first). */
  sendDirectMessage(slackUserId: string, message: SlackMessage): Promise<void>;
}

export function webClientApi(client: webApi.WebClient): SlackApi {
  return {
    async publishHome(slackUserId, view) {
      await client.views.publish({ user_id: slackUserId, view });
    },
    async postMessage(channel, message) {
      const result = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      if (typeof result.channel !== 'string' || typeof result.ts !== 'string') throw new Error('chat.postMessage answered without channel and ts');
      return { channel: result.channel, ts: result.ts };
    },
    async updateMessage(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    async sendDirectMessage(slackUserId, message) {
      const opened = await client.conversations.open({ users: slackUserId });
      const channel = opened.channel?.id;
      if (channel === undefined) throw new Error('conversations.open answered without a channel id');
      await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    },
  };
}

/**
 * Slack answered, and said no (`ok: false`: `channel_not_found`, `invalid_blocks`…): trying the
 * same call again at once will not help, but it says nothing of the calls behind it. Anything else
 * (no answer, a timeout, a 5xx after the client's retries) means Slack cannot be reached now.
 * WebClient's `ErrorCode.PlatformError`, by value: this module does not load Bolt.
 */
export function isSlackRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'slack_webapi_platform_error';
}
