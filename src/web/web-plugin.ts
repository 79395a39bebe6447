import type { Hono } from 'hono';
import { apiError } from '../protocol/api-errors.ts';
import type { ServerPlugin } from '../server/start-server.ts';
import type { ReadAccess } from './read-access.ts';
import { slackHomePreview } from './slack-home-preview.ts';
import { createWebApp, WEB_PATHS } from './web-app.ts';

export interface WebPluginOptions {
  access: ReadAccess;
  /** The lab's zone: where "today" starts on the Slack home tab's preview. */
  timeZone: string;
}

/**
 * The web pages as a server plugin. The server mounts routes before it has a store and a feed to
 * give (they come with `start`), so its paths forward to the web app made at start; in the
 * moment between listening and starting they answer 503, which a browser retries.
 */
export function webPlugin(options: WebPluginOptions): ServerPlugin {
  let web: Hono | null = null;
  return {
    name: 'web',
    routes(app) {
      for (const path of WEB_PATHS) {
        app.all(path, (c) => (web === null ? c.json(apiError('unavailable', 'the web pages are starting'), 503, { 'Retry-After': '1' }) : web.fetch(c.req.raw)));
      }
    },
    start(server) {
      const now = () => server.clock.now();
      web = createWebApp({
        store: server.store,
        feed: server.feed,
        access: options.access,
        homeTabBlocks: slackHomePreview(server.feed, server.store.db, options.timeZone, now),
        now: () => new Date(now()),
      });
    },
  };
}
