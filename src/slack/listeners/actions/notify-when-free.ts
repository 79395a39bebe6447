import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseNotifyValue } from '../../blocks/notify-button.ts';
import type { ListenerContext } from '../listener-context.ts';

/**
 * "Notify me when free" / "Stop notifying me" on a card. Acked first (Slack waits 3 s at most);
 * then the request is kept or dropped and the user's tab re-published, so the button flips. An
 * instrument that is free already is answered at once by DM.
 */
export function notifyWhenFree(context: ListenerContext) {
  return async ({ ack, action, body, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const request = parseNotifyValue(action.value);
    if (request === null) {
      logger.warn(`notify button with an unexpected value: ${JSON.stringify(action.value)}`);
      return;
    }
    const user = body.user.id;
    if (request.subscribe) await context.notifier.subscribe(user, request.instrumentId);
    else context.notifier.unsubscribe(user, request.instrumentId);
    await context.refreshHome(user);
  };
}
