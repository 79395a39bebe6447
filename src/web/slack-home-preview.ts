import type { LiveFeed } from '../live/instrument-view.ts';
import { homeView } from '../slack/blocks/home-view.ts';
import { startOfDay, StoredRunHistory } from '../slack/run-history.ts';
import type { ProcedureRunsReadModel } from '../store/procedure-runs-projection.ts';

/**
 * The blocks the Slack app publishes to a home tab, made by its own pure builder over the same
 * feed and runs, for a viewer who asked to be told of nothing: what the preview page shows is
 * exactly what Slack would get, even before Slack is set up.
 */
export function slackHomePreview(feed: LiveFeed, storedRuns: ProcedureRunsReadModel, timeZone: string, now: () => number): () => readonly unknown[] {
  const runs = new StoredRunHistory(storedRuns);
  return () => {
    const nowMs = now();
    const since = startOfDay(nowMs, timeZone);
    const instruments = feed.instruments();
    const today = new Map(instruments.map((view) => [view.id, runs.runsSince(view.id, since)]));
    return homeView({ instruments, today, subscriptions: new Set() }, nowMs).blocks;
  };
}
