import type { types } from '@slack/bolt';
import type { LiveFeed } from '../../live/instrument-view.ts';
import { homeBlocks, type HomeOptions } from '../blocks/home-view.ts';
import { startOfDay, type RunBrief, type RunHistory } from '../run-history.ts';
import type { SlackStore } from '../store/slack-store.ts';

export interface HomeSectionSource {
  feed: LiveFeed;
  runs: RunHistory;
  store: SlackStore;
  now: () => Date;
  /** The lab's zone: where "today" starts. */
  timeZone: string;
}

/**
 * Attune's part of a user's Home tab as it is now: the cards over the live feed, today's runs,
 * and the buttons as that user left them. What `attuneHomeBlocks(user)` gives a JS bot and
 * `GET /api/v1/slack/home-blocks?user=` a bot in any language.
 */
export function homeSection(source: HomeSectionSource, slackUserId: string | null, options: HomeOptions): types.KnownBlock[] {
  const nowMs = source.now().getTime();
  const instruments = source.feed.instruments();
  const since = startOfDay(nowMs, source.timeZone);
  const today = new Map<string, RunBrief[]>(instruments.map((view) => [view.id, source.runs.runsSince(view.id, since)]));
  const subscriptions = slackUserId === null ? new Set<string>() : source.store.subscriptionsOf(slackUserId);
  return homeBlocks({ instruments, today, subscriptions }, nowMs, options);
}
