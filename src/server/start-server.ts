import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { LiveFeed } from '../live/instrument-view.ts';
import { ServerLiveFeed } from '../live/live-feed.ts';
import { realEvery, systemClock, type Clock, type Every } from '../shared/clock.ts';
import { EventStore } from '../store/event-store.ts';
import type { TokenStore } from '../store/token-store.ts';
import type { AgentEnv } from './agent-auth.ts';
import { createApp, type RouteExtension, type ServerApp } from './create-app.ts';
import { hostCheck } from './host-check.ts';
import { RefusalLog } from './refusal-log.ts';
import type { ServerConfig } from './server-config.ts';
import type { HomeBlocksSource } from './slack-home-route.ts';

/**
 * Something the server carries along (the Slack app, the web pages): routes mounted on its app,
 * started once it listens, stopped before its database closes. See docs/server.md, "Extending".
 */
export interface ServerPlugin {
  name: string;
  /** Runs before every route (e.g. access control for the read side when bound publicly). */
  middleware?: MiddlewareHandler<AgentEnv>;
  /** Mounted once the store and the feed are ready (they are in `context`), before the server listens. */
  routes?: RouteExtension;
  start?(server: RunningServer): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface StartServerOptions {
  dbPath: string;
  host: string;
  /** 0: any free port (tests); the chosen one is in `RunningServer.port`. */
  port: number;
  config: ServerConfig;
  log: Logger;
  clock?: Clock;
  every?: Every;
  plugins?: readonly ServerPlugin[];
  /** Host names a loopback-bound server answers besides 127.0.0.1, localhost and [::1] (see host-check.ts). */
  allowedHosts?: readonly string[];
  /** Serves `GET /api/v1/slack/home-blocks` with these (src/slack's `slackHomeBlocks`, with or without a Slack app); absent: no such route. */
  slackHomeBlocks?: HomeBlocksSource;
}

export interface RunningServer {
  url: string;
  port: number;
  store: EventStore;
  /** The live contract the Slack app and the web pages read (src/live/instrument-view.ts). */
  feed: LiveFeed;
  tokens: TokenStore;
  app: ServerApp;
  config: ServerConfig;
  log: Logger;
  clock: Clock;
  /** Stops listening and drops open connections, stops the plugins and timers, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the store, reads every instrument's history into the live feed, and listens. Nothing is
 * served before the feed is ready, and nothing is left open when `close` resolves.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const plugins = options.plugins ?? [];
  const startedAt = clock.now();
  const refusals = new RefusalLog(log, () => clock.now());
  let stopFlushing: (() => void) | null = null;
  const store = EventStore.open(options.dbPath, { now: () => new Date(clock.now()) });
  let feed: ServerLiveFeed | null = null;
  let server: Server | null = null;
  const shutDown = async () => {
    if (server !== null) await closeHttp(server);
    for (const plugin of [...plugins].reverse()) {
      try {
        await plugin.stop?.();
      } catch (error) {
        log.error({ err: error, plugin: plugin.name }, 'a plugin failed to stop');
      }
    }
    feed?.stop();
    stopFlushing?.();
    refusals.flush(Number.POSITIVE_INFINITY);
    store.close();
  };
  try {
    const tokens = store.agentTokens(() => new Date(clock.now()));
    const loading = performance.now();
    feed = new ServerLiveFeed({ store, clock, config, serverStartedAt: startedAt, onError: (error, context) => log.error({ err: error }, `live feed: ${context}`) });
    feed.start(options.every ?? realEvery);
    stopFlushing = (options.every ?? realEvery)(60_000, () => refusals.flush());
    log.info({ instruments: feed.instruments().length, ms: Math.round(performance.now() - loading) }, 'history read');
    const hosts = hostCheck(options.host, options.allowedHosts);
    const middleware = [...(hosts === null ? [] : [hosts]), ...plugins.flatMap((plugin) => (plugin.middleware === undefined ? [] : [plugin.middleware]))];
    const extraRoutes = plugins.flatMap((plugin) => (plugin.routes === undefined ? [] : [plugin.routes]));
    const app = createApp({ store, feed, tokens, clock, log, startedAt, middleware, extraRoutes, refusals, ...(options.slackHomeBlocks === undefined ? {} : { slackHomeBlocks: options.slackHomeBlocks }) });
    server = await listen(app, options.host, options.port);
    const port = (server.address() as AddressInfo).port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    let closing: Promise<void> | null = null;
    const running: RunningServer = { url: `http://${host}:${port}`, port, store, feed, tokens, app, config, log, clock, close: () => (closing ??= shutDown()) };
    for (const plugin of plugins) await plugin.start?.(running);
    return running;
  } catch (error) {
    await shutDown();
    throw error;
  }
}

function listen(app: ServerApp, hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Stops accepting, drops every open connection (idle keep-alives, long polls, event streams), and waits. */
function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
