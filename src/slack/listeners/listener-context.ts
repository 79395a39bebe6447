import type { LiveFeed } from '../../live/instrument-view.ts';
import type { HomePublisher } from '../home/home-publisher.ts';
import type { FreeNotifier } from '../notify/free-notifier.ts';

/** What the listeners act on: the live feed to read, and the parts that talk back to Slack. */
export interface ListenerContext {
  feed: LiveFeed;
  home: HomePublisher;
  notifier: FreeNotifier;
  now: () => Date;
}
