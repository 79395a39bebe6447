import { Hono, type ErrorHandler } from 'hono';
import type { LiveFeed } from '../live/instrument-view.ts';
import { monitorMachine } from '../machines/monitor-machine.ts';
import type { EventStore } from '../store/event-store.ts';
import { runFilterOf, runsQuerySchema } from '../server/api-schemas.ts';
import { checked, HttpError, queryOf } from '../server/http-error.ts';
import type { ProcedureRun, RunPage } from '../store/procedure-runs-projection.ts';
import { blockKitToHtml } from './block-kit/block-kit-html.ts';
import { durationSeries } from './charts/duration-series.ts';
import { ClientAssets } from './client-assets.ts';
import { liveStream } from './live-stream.ts';
import { dashboardPage, kioskPage, slackPreviewPage, statechartPage } from './pages.ts';
import { replayStates } from './replay/state-replay.ts';
import { chartGraph } from './statechart/chart-graph.ts';
import { layoutChart } from './statechart/chart-layout.ts';
import { chartSvg } from './statechart/chart-svg.ts';
import { durationsQuerySchema, replayQuerySchema } from './web-requests.ts';

export interface WebAppOptions {
  store: EventStore;
  feed: LiveFeed;
  /** The server's error mapping and logger (create-app.ts): failures are answered and logged as the server's own. */
  onError: ErrorHandler;
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
  // Read access is the web plugin's middleware, in front of the whole read side (web-plugin.ts).
  app.onError(options.onError);
  for (const path of WEB_PATHS) {
    app.use(path, async (c, next) => {
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
    if (asset === null) throw new HttpError('not_found', 'no such asset');
    return c.body(asset.body, 200, { 'Content-Type': asset.contentType });
  });

  app.get('/api/v1/stream', (c) => liveStream(c, feed, options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }));

  app.get('/api/v1/web/runs', (c) => {
    const filter = runFilterOf(checked(runsQuerySchema, queryOf(c), 'the query'));
    const page: RunPage = { runs: store.runs.find(filter), total: store.runs.count(filter) };
    return c.json(page);
  });

  app.get('/api/v1/web/facets', (c) => {
    const facets = store.runs.facets();
    const instruments = [...new Set([...facets.instruments, ...feed.instruments().map((view) => view.id)])].sort();
    return c.json({ ...facets, instruments });
  });

  app.get('/api/v1/web/durations', (c) => {
    const query = checked(durationsQuerySchema, queryOf(c), 'the query');
    // Completed runs the log opened itself (inferred runs are seen from their first step only, as in `procedure_stats`).
    const runs = store.runs.find({ instrumentId: query.instrument, outcome: 'completed', source: 'logged', since: query.from, to: query.to, order: 'oldest' });
    return c.json({ bucket: query.bucket, zone: query.tz, series: durationSeries(runs, query.bucket, query.tz) });
  });

  app.get('/api/v1/web/replay', (c) => {
    const query = checked(replayQuerySchema, queryOf(c), 'the query');
    let instrument: string;
    let window: { from: string; to: string };
    let run: ProcedureRun | null = null;
    if ('run' in query) {
      run = store.runs.get(query.run);
      if (run === null) throw new HttpError('not_found', `no run ${query.run}`);
      instrument = run.instrumentId;
      // The run's own window, its last event included.
      window = { from: run.startedAt, to: new Date(Date.parse(run.endedAt ?? now().toISOString()) + 1).toISOString() };
    } else {
      if (query.from >= query.to) throw new HttpError('bad_request', 'from must be before to');
      instrument = query.instrument;
      window = { from: query.from, to: query.to };
    }
    const launch = store.launchFileAt(instrument, window.from);
    const replay = replayStates(store.logEvents(instrument, launch ?? undefined), window, REPLAY_STEP_LIMIT);
    return c.json({ instrument, run, ...replay });
  });

  app.get('/api/v1/web/slack-preview', (c) => c.json({ html: previewHtml() }));
  return app;
}

function noSlackApp(): string {
  return '<p class="empty">This build has no Slack app, so there is no home tab to preview.</p>';
}
