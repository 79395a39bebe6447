import type { Env, Hono } from 'hono';
import { z } from 'zod';
import type { LiveFeed } from '../live/instrument-view.ts';
import { API_V1 } from '../protocol/api-paths.ts';
import type { Clock } from '../shared/clock.ts';
import type { EventStore } from '../store/event-store.ts';
import { checked, queryOf } from './http-error.ts';

export const SLACK_HOME_BLOCKS_PATH = `${API_V1}/slack/home-blocks`;

export interface HomeBlocksOptions {
  /** "Notify me when free" buttons; false where no Attune app answers them. */
  notifyButtons: boolean;
  /** The most blocks to use of the view's 100. */
  maxBlocks: number;
}

/** Attune's part of a Slack Home tab for a viewer (null: nobody in particular), as Block Kit blocks. */
export type HomeBlocks = (slackUserId: string | null, options: HomeBlocksOptions) => readonly unknown[];

/**
 * Builds `HomeBlocks` once the store and the feed are open. The Slack side provides it (src/slack)
 * and the composition root passes it in: the server only serves it, it never reaches into Slack.
 */
export type HomeBlocksSource = (sources: { store: EventStore; feed: LiveFeed; clock: Clock }) => HomeBlocks;

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
 * behind the same read access as the dashboard. Served whether or not this server runs a Slack app.
 */
export function registerSlackHomeRoute<E extends Env>(app: Hono<E>, homeBlocks: HomeBlocks): void {
  app.get(SLACK_HOME_BLOCKS_PATH, (c) => {
    const query = checked(homeBlocksQuerySchema, queryOf(c), 'the query');
    const blocks = homeBlocks(query.user ?? null, { notifyButtons: query.notify ?? true, maxBlocks: query.max_blocks ?? 60 });
    return c.json({ blocks });
  });
}
