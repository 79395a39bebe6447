import type { App } from '@slack/bolt';
import type { ListenerContext } from '../listener-context.ts';
import { attuneCommand } from './attune-command.ts';

export function register(app: App, context: ListenerContext): void {
  if (context.command !== null) app.command(context.command, attuneCommand(context));
}
