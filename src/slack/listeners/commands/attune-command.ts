import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { statusMessage } from '../../blocks/status-message.ts';
import type { ListenerContext } from '../listener-context.ts';

export const ATTUNE_COMMAND = '/attune';

/** `/attune`: every instrument's status, only to the person who asked. Acked first, answered through the response URL. */
export function attuneCommand(context: ListenerContext) {
  return async ({ ack, respond }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    await ack();
    const message = statusMessage(context.feed.instruments(), context.now().getTime());
    await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  };
}
