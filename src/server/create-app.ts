import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type ErrorHandler, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import type { LiveFeed } from '../live/instrument-view.ts';
import type { ServerLiveFeed } from '../live/live-feed.ts';
import { apiError, API_ERROR_STATUS, type ApiErrorCode } from '../protocol/api-errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { EventStore } from '../store/event-store.ts';
import { StoreError } from '../store/store-errors.ts';
import type { TokenStore } from '../store/token-store.ts';
import type { AgentEnv } from './agent-auth.ts';
import { registerEventsRoute } from './events-route.ts';
import { registerHealthRoute } from './health-route.ts';
import { registerHeartbeatRoute } from './heartbeat-route.ts';
import { HttpError } from './http-error.ts';
import { registerInstrumentsRoutes } from './instruments-routes.ts';
import { OPENAPI_PATH, openApiDocument } from './openapi-document.ts';
import { RefusalLog } from './refusal-log.ts';
import { registerSlackHomeRoute, type HomeBlocksSource } from './slack-home-route.ts';

export type ServerApp = Hono<AgentEnv>;

/** What routes mounted from outside may read: the store (read-only), the live feed, the clock, the log, the error mapping. */
export interface RouteContext {
  store: EventStore;
  feed: LiveFeed;
  clock: Clock;
  log: Logger;
  /** The server's error mapping, for an app mounted in it (`app.onError(onError)`). */
  onError: ErrorHandler;
}

/** Mounts more routes on the app (the Slack app's `/slack/events`, the web pages): see docs/server.md, "Extending". */
export type RouteExtension = (app: ServerApp, context: RouteContext) => void;

export interface AppDeps {
  store: EventStore;
  feed: ServerLiveFeed;
  tokens: TokenStore;
  clock: Clock;
  log: Logger;
  /** When this server started (server clock, ms). */
  startedAt: number;
  /** Run before every route, in order (e.g. a read token for the dashboard and the read API when bound publicly). */
  middleware?: readonly MiddlewareHandler<AgentEnv>[];
  /** Mounted after the API's routes, before the catch-all 404; Hono builds its router on the first request, so they come here. */
  extraRoutes?: readonly RouteExtension[];
  /** Where refused requests are logged, a line per client and minute (one of its own when absent). */
  refusals?: RefusalLog;
  /** Serves `GET /api/v1/slack/home-blocks` with these blocks (the Slack side's, passed in by the composition root); absent: no such route. */
  slackHomeBlocks?: HomeBlocksSource;
}

/**
 * The HTTP app: the agents' API, the read API, health and the OpenAPI document, with ONE mapping of
 * every failure to the protocol's `{error: {code, message}}`.
 */
export function createApp(deps: AppDeps): ServerApp {
  const { store, feed, tokens, clock, log } = deps;
  const refusals = deps.refusals ?? new RefusalLog(log, () => clock.now());
  const app: ServerApp = new Hono();
  for (const handler of deps.middleware ?? []) app.use('*', handler);
  registerEventsRoute(app, store, tokens);
  registerHeartbeatRoute(app, feed, tokens, clock);
  registerInstrumentsRoutes(app, feed, store.runs);
  if (deps.slackHomeBlocks !== undefined) registerSlackHomeRoute(app, deps.slackHomeBlocks({ store, feed, clock }));
  registerHealthRoute(app, clock, deps.startedAt, () => store.isOpen);
  app.get(OPENAPI_PATH, (c) => c.json(openApiDocument({ slackHomeBlocks: deps.slackHomeBlocks !== undefined })));
  const onError = errorHandler(log, refusals);
  for (const extend of deps.extraRoutes ?? []) extend(app, { store, feed, clock, log, onError });

  app.notFound((c) => c.json(apiError('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError(onError);
  return app;
}

/**
 * The one mapping of failures to `{error: {code, message}}`, each logged with the server's logger
 * (refusals rate-limited per client): for the server's app and every app mounted in it.
 */
export function errorHandler(log: Logger, refusals: RefusalLog): ErrorHandler {
  return (error, c) => {
    const { code, message, headers } = describeFailure(error);
    const status = API_ERROR_STATUS[code];
    if (status >= 500) log.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    else {
      const refusal = { status, code, problem: message, method: c.req.method, path: c.req.path };
      log.debug(refusal, 'request refused');
      refusals.refused(clientAddress(c), refusal);
    }
    return c.json(apiError(code, message), status, headers);
  };
}

/** The client's address (with @hono/node-server), or 'unknown' (a request made in-process). */
function clientAddress(c: Context): string {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
}

function describeFailure(error: unknown): { code: ApiErrorCode; message: string; headers: Record<string, string> } {
  if (error instanceof HttpError) return { code: error.code, message: error.message, headers: error.headers };
  // A busy, full or read-only database: nothing was stored and it may pass; agents retry a 503.
  if (error instanceof StoreError && (error.kind === 'locked' || error.kind === 'disk_full' || error.kind === 'read_only')) {
    return { code: 'unavailable', message: error.message, headers: { 'Retry-After': '5' } };
  }
  if (error instanceof HTTPException) {
    const code = (Object.keys(API_ERROR_STATUS) as ApiErrorCode[]).find((key) => API_ERROR_STATUS[key] === error.status) ?? 'bad_request';
    return { code, message: error.message, headers: {} };
  }
  return { code: 'internal', message: 'internal error (see the server log)', headers: {} };
}
