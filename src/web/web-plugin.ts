import type { ServerPlugin } from '../server/start-server.ts';
import { readAccessMiddleware, type ReadAccess } from './read-access.ts';
import { slackHomePreview } from './slack-home-preview.ts';
import { createWebApp, WEB_PATHS } from './web-app.ts';

export interface WebPluginOptions {
  access: ReadAccess;
  /** The lab's zone: where "today" starts on the Slack home tab's preview. */
  timeZone: string;
}

/**
 * What the read side is: the pages, their data and stream, and the server's own read API (the
 * same facts as JSON). The agents' endpoints, health and Slack's callbacks have their own checks.
 */
const READ_PATHS: readonly string[] = [...WEB_PATHS, '/api/v1/instruments', '/api/v1/instruments/*', '/api/v1/slack/home-blocks'];

export function isReadPath(path: string): boolean {
  return READ_PATHS.some((pattern) => (pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern));
}

/** The web pages as a server plugin: mounted at the root, read access guarded for the whole read side. */
export function webPlugin(options: WebPluginOptions): ServerPlugin {
  return {
    name: 'web',
    middleware: readAccessMiddleware(options.access, isReadPath),
    routes(app, { store, feed, clock, onError }) {
      const now = () => clock.now();
      app.route(
        '/',
        createWebApp({ store, feed, onError, homeTabBlocks: slackHomePreview(feed, store.runs, options.timeZone, now), now: () => new Date(now()) }),
      );
    },
  };
}
