import type { LiveFeed } from '../../live/instrument-view.ts';
import type { FreeNotifier } from '../notify/free-notifier.ts';

/** What the listeners act on: the live feed to read, and the parts that talk back to Slack. */
export interface ListenerContext {
  feed: LiveFeed;
  notifier: FreeNotifier;
  now: () => Date;
  /** After a button press on a user's home tab: show it again (the button flips). */
  refreshHome: (slackUserId: string) => Promise<void>;
  /** `home: 'own'`: the Home tab was opened; null when the lab's bot owns the home tab. */
  homeOpened: ((slackUserId: string) => Promise<void>) | null;
  /** The slash command's name (`/attune`), or null for none. */
  command: string | null;
}
