import type { RouteContext } from '../server/create-app.ts';
import type { ServerPlugin } from '../server/start-server.ts';
import { readAccessMiddleware, type ReadAccess } from './read-access.ts';
import { createWebApp, WEB_PATHS } from './web-app.ts';

export interface WebPluginOptions {
  access: ReadAccess;
  /**
   * The Slack home tab's blocks for the preview page, built from the store and feed (src/slack's
   * `slackHomePreview`, passed in by the composition root); absent: the page says there is no Slack app.
   */
  homeTabBlocks?: (context: RouteContext) => () => readonly unknown[];
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
    routes(app, context) {
      const { store, feed, clock, onError } = context;
      const homeTabBlocks = options.homeTabBlocks?.(context);
      app.route('/', createWebApp({ store, feed, onError, ...(homeTabBlocks === undefined ? {} : { homeTabBlocks }), now: () => new Date(clock.now()) }));
    },
  };
}
