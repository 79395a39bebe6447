import type { App } from '@slack/bolt';
import type { ListenerContext } from '../listener-context.ts';
import { ATTUNE_COMMAND, attuneCommand } from './attune-command.ts';

export function register(app: App, context: ListenerContext): void {
  app.command(ATTUNE_COMMAND, attuneCommand(context));
}
