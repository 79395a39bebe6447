import type { Env, Hono } from 'hono';
import { z } from 'zod';
import type { LiveFeed } from '../live/instrument-view.ts';
import { API_V1 } from '../protocol/api-paths.ts';
import { homeSection } from '../slack/home/home-section.ts';
import { StoredRunHistory } from '../slack/run-history.ts';
import { SlackStore } from '../slack/store/slack-store.ts';
import type { SqliteDatabase } from '../store/database.ts';
import type { ProcedureRunsReadModel } from '../store/procedure-runs-projection.ts';
import type { Clock } from '../shared/clock.ts';
import { checked } from './http-error.ts';

export const SLACK_HOME_BLOCKS_PATH = `${API_V1}/slack/home-blocks`;

export interface SlackHomeRouteOptions {
  feed: LiveFeed;
  runs: ProcedureRunsReadModel;
  /** For the Slack app's own tables (who asked to be notified). */
  db: SqliteDatabase;
  clock: Clock;
  /** The lab's zone: where "today" starts. */
  timeZone: string;
  /** ATTUNE_PUBLIC_URL: the "Open dashboard" button; null: none. */
  publicUrl: string | null;
}

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const homeBlocksQuerySchema = z.strictObject({
  user: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack user id such as U0123ABCD')
    .optional()
    .describe('the viewer: their "Notify me" buttons show as they left them'),
  notify: flag.optional().describe('"Notify me when free" buttons (default true); false where no Attune app answers them'),
  max_blocks: z.coerce.number().int().min(4).max(100).optional().describe('the most blocks to use of the view (default 60 of its 100)'),
});

/**
 * `GET /api/v1/slack/home-blocks?user=U…`: Attune's part of a Slack Home tab as Block Kit JSON,
 * `{"blocks": […]}`, for a lab's bot in any language (examples/python_slack_bolt). Read side:
 * behind the same read access as the dashboard.
 */
export function registerSlackHomeRoute<E extends Env>(app: Hono<E>, options: SlackHomeRouteOptions): void {
  const runs = new StoredRunHistory(options.runs);
  const store = new SlackStore(options.db);
  const now = () => new Date(options.clock.now());
  app.get(SLACK_HOME_BLOCKS_PATH, (c) => {
    const query = checked(homeBlocksQuerySchema, c.req.query(), 'the query');
    const blocks = homeSection({ feed: options.feed, runs, store, now, timeZone: options.timeZone }, query.user ?? null, {
      // A bot elsewhere has no /attune; the dashboard (when it has an address) shows every instrument.
      command: null,
      dashboardUrl: options.publicUrl,
      notifyButtons: query.notify ?? true,
      maxBlocks: query.max_blocks ?? 60,
    });
    return c.json({ blocks });
  });
}
