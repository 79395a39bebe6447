import type { App } from '@slack/bolt';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import * as events from './events/index.ts';
import type { ListenerContext } from './listener-context.ts';

/**
 * Every listener group, as slack-samples/bolt-ts-starter-template lays them out: one listener per
 * file. Each matches only Attune's own action ids, command and events, and none is global
 * middleware (`app.use`): mounted into a lab's bot, the bot's own listeners see every request as
 * before.
 */
export function registerListeners(app: App, context: ListenerContext): void {
  events.register(app, context);
  actions.register(app, context);
  commands.register(app, context);
}
