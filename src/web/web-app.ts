import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { LiveFeed } from '../live/instrument-view.ts';
import { monitorMachine } from '../machines/monitor-machine.ts';
import type { EventStore } from '../store/event-store.ts';
import type { ProcedureRunRow } from '../store/procedure-runs-projection.ts';
import { blockKitToHtml } from './block-kit/block-kit-html.ts';
import { durationSeries } from './charts/duration-series.ts';
import { ClientAssets } from './client-assets.ts';
import { queryOf } from '../server/http-error.ts';
import { liveStream } from './live-stream.ts';
import { dashboardPage, kioskPage, slackPreviewPage, statechartPage } from './pages.ts';
import { launchFileAt, queryDurations, queryRunFacets, queryRuns } from './queries/run-queries.ts';
import { readAccessMiddleware, type ReadAccess } from './read-access.ts';
import { replayStates } from './replay/state-replay.ts';
import { chartGraph } from './statechart/chart-graph.ts';
import { layoutChart } from './statechart/chart-layout.ts';
import { chartSvg } from './statechart/chart-svg.ts';
import { durationsQuerySchema, firstIssue, replayQuerySchema, runsQuerySchema } from './web-requests.ts';

export interface WebAppOptions {
  store: EventStore;
  feed: LiveFeed;
  /** Who may read (see `readAccessFor`); open when absent. */
  access?: ReadAccess;
  /**
   * The blocks the Slack app would publish to a home tab now (its pure builder over the feed);
   * absent when the Slack app is not part of this build.
   */
  homeTabBlocks?: () => readonly unknown[];
  /** How often an idle live stream sends a keep-alive comment. */
  keepAliveMs?: number;
  /** The server's clock: "now" for runs still open. */
  now?: () => Date;
}

/** Every path this app answers (the server's own API lives beside them). */
export const WEB_PATHS = ['/', '/statechart', '/slack-preview', '/kiosk/*', '/assets/*', '/api/v1/stream', '/api/v1/web/*'] as const;

/** The most steps one replay answers with (a busy day has a few hundred). */
const REPLAY_STEP_LIMIT = 5000;

/**
 * The dashboard, the statechart visualizer and the Slack preview, as a Hono app to mount in the
 * server (`app.route('/', createWebApp(…))`). Read-only: it reads the store and the live feed.
 */
export function createWebApp(options: WebAppOptions): Hono {
  const { store, feed } = options;
  const now = options.now ?? (() => new Date());
  const assets = new ClientAssets();
  // Laid out once, on the first visit (ELK takes a second or two): the machine does not change
  // while the server runs.
  let statechartHtml: Promise<string> | null = null;
  const statechart = () => {
    statechartHtml ??= layoutChart(chartGraph(monitorMachine.root))
      .then((layout) => statechartPage(chartSvg(layout)))
      .catch((error: unknown) => {
        // Tried again on the next visit rather than failing for ever.
        statechartHtml = null;
        throw error;
      });
    return statechartHtml;
  };
  const previewHtml = () => (options.homeTabBlocks === undefined ? noSlackApp() : blockKitToHtml(options.homeTabBlocks()));

  const app = new Hono();
  app.onError((error, c) => {
    console.error(error);
    return c.json({ error: { code: 'internal', message: 'the server could not answer this request' } }, 500);
  });
  // Guarded path by path, never with '*': mounted in the server, a '*' middleware would also
  // guard the agents' ingest, which has tokens of its own.
  const guard = readAccessMiddleware(options.access ?? { kind: 'open' });
  for (const path of WEB_PATHS) {
    app.use(path, guard, async (c, next) => {
      await next();
      // Pages and data are live: never from a cache.
      if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/', (c) => c.html(dashboardPage()));
  app.get('/statechart', async (c) => c.html(await statechart()));
  app.get('/slack-preview', (c) => c.html(slackPreviewPage(previewHtml())));
  app.get('/kiosk/:instrument', (c) => {
    // A link with `?token=` (a kiosk's start address) got its cookie from the guard: the token
    // leaves the address bar, the screen shows the page without it.
    if (c.req.query('token') !== undefined) return c.redirect(new URL(c.req.url).pathname, 303);
    return c.html(kioskPage(c.req.param('instrument')));
  });
  app.get('/assets/:name', async (c) => {
    const asset = await assets.get(c.req.param('name'));
    if (asset === null) return c.json({ error: { code: 'not_found', message: 'no such asset' } }, 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.contentType });
  });

  app.get('/api/v1/stream', (c) => liveStream(c, feed, options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }));

  app.get('/api/v1/web/runs', (c) => {
    const query = parseQuery(c, runsQuerySchema);
    return query instanceof Response ? query : c.json(queryRuns(store.db, query));
  });

  app.get('/api/v1/web/facets', (c) => {
    const facets = queryRunFacets(store.db);
    const instruments = [...new Set([...facets.instruments, ...feed.instruments().map((view) => view.id)])].sort();
    return c.json({ ...facets, instruments });
  });

  app.get('/api/v1/web/durations', (c) => {
    const query = parseQuery(c, durationsQuerySchema);
    if (query instanceof Response) return query;
    const rows = queryDurations(store.db, query);
    return c.json({ bucket: query.bucket, zone: query.tz, series: durationSeries(rows, query.bucket, query.tz) });
  });

  app.get('/api/v1/web/replay', (c) => {
    const query = parseQuery(c, replayQuerySchema);
    if (query instanceof Response) return query;
    let instrument: string;
    let window: { from: string; to: string };
    let run: ProcedureRunRow | null = null;
    if ('run' in query) {
      run = (store.db.prepare('SELECT * FROM procedure_runs WHERE run_id = ?').get(query.run) as ProcedureRunRow | undefined) ?? null;
      if (run === null) return c.json({ error: { code: 'not_found', message: `no run ${query.run}` } }, 404);
      instrument = run.instrument_id;
      // The run's own window, its last event included.
      window = { from: run.started_at, to: new Date(Date.parse(run.ended_at ?? now().toISOString()) + 1).toISOString() };
    } else {
      if (query.from >= query.to) return c.json({ error: { code: 'bad_request', message: 'from must be before to' } }, 400);
      instrument = query.instrument;
      window = { from: query.from, to: query.to };
    }
    const launch = launchFileAt(store.db, instrument, window.from);
    const replay = replayStates(store.logEvents(instrument, launch ?? undefined), window, REPLAY_STEP_LIMIT);
    return c.json({ instrument, run, ...replay });
  });

  app.get('/api/v1/web/slack-preview', (c) => c.json({ html: previewHtml() }));
  return app;
}

function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> | Response {
  const parsed = schema.safeParse(queryOf(c));
  return parsed.success ? parsed.data : c.json({ error: { code: 'bad_request', message: firstIssue(parsed.error) } }, 400);
}

function noSlackApp(): string {
  return '<p class="empty">This build has no Slack app, so there is no home tab to preview.</p>';
}
