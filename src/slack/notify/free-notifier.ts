import type { Logger } from 'pino';
import { isFreeForNextUser } from '../../live/availability.ts';
import type { InstrumentView, LiveFeed } from '../../live/instrument-view.ts';
import { KeyedQueue } from '../background.ts';
import { freeMessage } from '../blocks/free-message.ts';
import type { SlackApi } from '../slack-api.ts';
import type { SlackStore } from '../store/slack-store.ts';

export interface FreeNotifierOptions {
  api: SlackApi;
  store: SlackStore;
  feed: LiveFeed;
  now: () => Date;
  /** See `isFreeForNextUser`; null: only "nobody logged in" counts as free. */
  idleMinutes: number | null;
  log: Logger;
}

/**
 * "Notify me when free": a user who asked is sent one DM when the instrument is next free, and
 * the request is then forgotten. Requests live in the store, so a restart keeps them. Checked on
 * every change of the instrument and on the tick (the idle rule depends on time passing). The
 * request is deleted only after the DM went out; checks of one instrument run in order, so two
 * changes in a row cannot send it twice.
 */
export class FreeNotifier {
  private readonly queue = new KeyedQueue();

  constructor(private readonly options: FreeNotifierOptions) {}

  /** Keeps the request; an instrument that is free already is told of at once (and the request dropped). */
  async subscribe(slackUserId: string, instrumentId: string): Promise<void> {
    const { store, feed, now } = this.options;
    store.subscribe(instrumentId, slackUserId, now().toISOString());
    const view = feed.instrument(instrumentId);
    if (view !== null) await this.check(view);
  }

  unsubscribe(slackUserId: string, instrumentId: string): void {
    this.options.store.unsubscribe(instrumentId, slackUserId);
  }

  changed(view: InstrumentView): Promise<void> {
    return this.check(view);
  }

  /** The idle rule turns true with time alone: every waited-for instrument is looked at again. */
  async tick(): Promise<void> {
    const views = this.options.store.subscribedInstruments().map((id) => this.options.feed.instrument(id));
    await Promise.all(views.filter((view): view is InstrumentView => view !== null).map((view) => this.check(view)));
  }

  private isFree(view: InstrumentView): boolean {
    return isFreeForNextUser(view, this.options.now().getTime(), this.options.idleMinutes);
  }

  private check(view: InstrumentView): Promise<void> {
    if (!this.isFree(view)) return Promise.resolve();
    return this.queue.enqueue(view.id, async () => {
      const { store, api, log, feed } = this.options;
      // The instrument may have been taken again while earlier work of this queue ran.
      const current = feed.instrument(view.id) ?? view;
      if (!this.isFree(current)) return;
      for (const user of store.subscribersOf(view.id)) {
        try {
          await api.sendDirectMessage(user, freeMessage(current));
          store.unsubscribe(view.id, user);
          log.info({ instrument: view.id, user }, 'Slack: told a user the instrument is free');
        } catch (error) {
          log.warn({ err: error, instrument: view.id, user }, 'Slack: free DM not sent, will retry');
        }
      }
    });
  }
}
