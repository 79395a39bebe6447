import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';

/** Opening the Home tab publishes it (and keeps it fresh for the next day); the Messages tab needs nothing. */
export function appHomeOpened(opened: (slackUserId: string) => Promise<void>) {
  return async ({ event }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    await opened(event.user);
  };
}
