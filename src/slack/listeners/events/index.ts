import type { App } from '@slack/bolt';
import type { ListenerContext } from '../listener-context.ts';
import { appHomeOpened } from './app-home-opened.ts';

export function register(app: App, context: ListenerContext): void {
  app.event('app_home_opened', appHomeOpened(context));
}
