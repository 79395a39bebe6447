import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { OPEN_DASHBOARD_ACTION } from '../../blocks/home-view.ts';
import { NOTIFY_ACTION_PATTERN } from '../../blocks/notify-button.ts';
import type { ListenerContext } from '../listener-context.ts';
import { notifyWhenFree } from './notify-when-free.ts';

export function register(app: App, context: ListenerContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: NOTIFY_ACTION_PATTERN }, notifyWhenFree(context));
  // A link button still sends its press: acked, or Slack shows the user a warning.
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: OPEN_DASHBOARD_ACTION }, async ({ ack }) => {
    await ack();
  });
}
