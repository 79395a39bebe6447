import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerContext } from '../listener-context.ts';

/** Opening the Home tab publishes it (and keeps it fresh for the next day); the Messages tab needs nothing. */
export function appHomeOpened(context: ListenerContext) {
  return async ({ event }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    await context.home.opened(event.user);
  };
}
