import type { App } from '@slack/bolt';
import { dropRedeliveredEvents } from '../drop-redelivered-events.ts';
import type { ListenerContext } from '../listener-context.ts';
import { appHomeOpened } from './app-home-opened.ts';

export function register(app: App, context: ListenerContext): void {
  const opened = context.homeOpened;
  if (opened !== null) app.event('app_home_opened', dropRedeliveredEvents(), appHomeOpened(opened));
}
