import type { App } from '@slack/bolt';
import * as actions from './actions/index.ts';
import * as commands from './commands/index.ts';
import { dropRedeliveredEvents } from './drop-redelivered-events.ts';
import * as events from './events/index.ts';
import type { ListenerContext } from './listener-context.ts';

/** Every listener group, as slack-samples/bolt-ts-starter-template lays them out: one listener per file. */
export function registerListeners(app: App, context: ListenerContext): void {
  app.use(dropRedeliveredEvents());
  events.register(app, context);
  actions.register(app, context);
  commands.register(app, context);
}
