import type { HomeBlocksSource } from '../../server/slack-home-route.ts';
import type { LiveFeed } from '../../live/instrument-view.ts';
import type { Clock } from '../../shared/clock.ts';
import type { EventStore } from '../../store/event-store.ts';
import { StoredRunHistory } from '../run-history.ts';
import { SlackStore } from '../store/slack-store.ts';
import { homeSection } from './home-section.ts';

// What the Slack side lends the rest of the server: its home-tab blocks, built from the store and
// the feed. The composition root (the CLI's server command, the demo) passes these into the
// server's route and the web's preview page, so that neither of them imports Slack.

export interface HomeBlocksSettings {
  /** The lab's zone: where "today" starts. */
  timeZone: string;
  /** ATTUNE_PUBLIC_URL: the "Open dashboard" button; null: none. */
  publicUrl: string | null;
}

/** For `GET /api/v1/slack/home-blocks`: the cards with the viewer's own "Notify me" buttons. */
export function slackHomeBlocks(settings: HomeBlocksSettings): HomeBlocksSource {
  return ({ store, feed, clock }) => {
    const runs = new StoredRunHistory(store.runs);
    const slackStore = new SlackStore(store.connectionForOwnTables());
    const now = () => new Date(clock.now());
    return (slackUserId, options) =>
      homeSection({ feed, runs, store: slackStore, now, timeZone: settings.timeZone }, slackUserId, {
        // A bot elsewhere has no /attune; the dashboard (when it has an address) shows every instrument.
        command: null,
        dashboardUrl: settings.publicUrl,
        notifyButtons: options.notifyButtons,
        maxBlocks: options.maxBlocks,
      });
  };
}

/**
 * For the web's preview page: the blocks the Slack app publishes to a home tab, made by its own
 * pure builder over the same feed and runs, for a viewer who asked to be told of nothing: what the
 * page shows is exactly what Slack would get, even before Slack is set up.
 */
export function slackHomePreview(timeZone: string): (sources: { store: EventStore; feed: LiveFeed; clock: Clock }) => () => readonly unknown[] {
  return ({ store, feed, clock }) => {
    const source = { feed, runs: new StoredRunHistory(store.runs), store: new SlackStore(store.connectionForOwnTables()), now: () => new Date(clock.now()), timeZone };
    return () => homeSection(source, null, {});
  };
}
