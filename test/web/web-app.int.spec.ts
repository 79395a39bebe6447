import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { LiveChange } from '../../src/live/instrument-view.ts';
import type { LiveFeed } from '../../src/live/instrument-view.ts';
import type { StreamSnapshot } from '../../src/web/live-stream.ts';
import type { ReadAccess } from '../../src/web/read-access.ts';
import { createWebApp, type WebAppOptions } from '../../src/web/web-app.ts';
import { webPlugin } from '../../src/web/web-plugin.ts';
import { FIXTURE_NAME, FIXTURE_PATH, openStore, tempDir } from '../store/store-test-kit.ts';
import { eventsOf } from '../support/attune-log.ts';
import { TestLiveFeed } from '../support/test-live-feed.ts';
import { quietErrors } from '../support/web-test-server.ts';

// The web app in-process (Hono's app.request), over a real SQLite file holding the real log.

function setUp(options: Partial<WebAppOptions> & { access?: ReadAccess } = {}) {
  const store = openStore(join(tempDir(), 'store.db'));
  const feed = new TestLiveFeed(store, () => new Date('2020-09-11T14:58:00.000Z'));
  feed.append('attune-1', eventsOf(FIXTURE_NAME, readFileSync(FIXTURE_PATH)));
  // Counts the subscriptions, to see the stream let go of the feed.
  let subscribers = 0;
  const counted: LiveFeed = {
    instruments: () => feed.instruments(),
    instrument: (id) => feed.instrument(id),
    openAlerts: () => feed.openAlerts(),
    subscribe(listener) {
      subscribers++;
      const unsubscribe = feed.subscribe(listener);
      return () => {
        subscribers--;
        unsubscribe();
      };
    },
  };
  const { access, ...rest } = options;
  const webApp = createWebApp({ store, feed: counted, onError: quietErrors(), keepAliveMs: 60_000, ...rest });
  if (access === undefined) return { store, feed, app: webApp, subscribers: () => subscribers };
  // Guarded as the server guards it: the web plugin's middleware in front of everything.
  const app = new Hono();
  app.use('*', webPlugin({ access }).middleware!);
  app.route('/', webApp);
  return { store, feed, app, subscribers: () => subscribers };
}

async function json(response: Response | Promise<Response>): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await response;
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('pages and assets', () => {
  it('serves the three pages, the statechart drawn in the HTML, and their scripts and style from the server itself', async () => {
    const { app, store } = setUp();
    const dashboard = await app.request('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('cache-control')).toBe('no-store');
    const html = await dashboard.text();
    expect(html).toContain('<script type="module" src="/assets/dashboard.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const statechart = await (await app.request('/statechart')).text();
    expect(statechart).toContain('data-state="monitor.instrument.waitingForUser"');
    expect(await (await app.request('/slack-preview')).text()).toContain('no Slack app');
    // The kiosk of any instrument (it may not have reported yet), its name only ever as text.
    const kiosk = await (await app.request('/kiosk/%3Cb%3Eattune%3C%2Fb%3E')).text();
    expect(kiosk).toContain('<script type="module" src="/assets/kiosk.js">');
    expect(kiosk).toContain('<h1 class="k-name">&lt;b&gt;attune&lt;/b&gt;</h1>');
    expect(kiosk).not.toContain('<b>attune');

    // Nothing from elsewhere: the pages work on a lab network with no internet.
    for (const name of ['dashboard', 'statechart', 'slack-preview', 'kiosk']) {
      const code = await (await app.request(`/assets/${name}.js`)).text();
      // The SVG namespace is a name, not an address anything is fetched from.
      const addresses = (code.match(/https?:\/\/[^\s'"`)]+/g) ?? []).filter((url) => url !== 'http://www.w3.org/2000/svg');
      expect(addresses, name).toEqual([]);
    }
    expect(statechart).not.toMatch(/(?:src|href)="https?:/);
    const script = await app.request('/assets/statechart.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await script.text();
    expect(code).toContain('EventSource');
    expect(code).not.toMatch(/^import /m);
    expect((await app.request('/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await app.request('/assets/nothing.js')).status).toBe(404);
    expect((await app.request('/assets/..%2Fweb-app.ts')).status).toBe(404);
    store.close();
  });

  it('renders the blocks the Slack app would publish', async () => {
    const { app, store } = setUp({ homeTabBlocks: () => [{ type: 'header', text: { type: 'plain_text', text: 'Attune instruments' } }] });
    expect(await (await app.request('/slack-preview')).text()).toContain('<h2 class="bk-block bk-header">Attune instruments</h2>');
    expect(await json(app.request('/api/v1/web/slack-preview'))).toEqual({ status: 200, body: { html: '<h2 class="bk-block bk-header">Attune instruments</h2>' } });
    store.close();
  });
});

describe('the pages’ data', () => {
  it('filters the run history by procedure, user, outcome and time, newest first, with the total', async () => {
    const { app, store } = setUp();
    const all = await json(app.request('/api/v1/web/runs?limit=5'));
    expect(all.body['total']).toBe(35);
    expect((all.body['runs'] as unknown[]).length).toBe(5);
    const rinses = await json(app.request('/api/v1/web/runs?procedure=Rinse&outcome=completed&user=jsmith&limit=1000'));
    const runs = rinses.body['runs'] as Array<{ procedure: string; outcome: string; startedAt: string }>;
    expect(runs.length).toBeGreaterThan(5);
    expect(runs.every((run) => run.procedure === 'Rinse' && run.outcome === 'completed')).toBe(true);
    expect(runs.map((run) => run.startedAt)).toEqual([...runs.map((run) => run.startedAt)].sort().reverse());
    const window = await json(app.request('/api/v1/web/runs?from=2020-09-11T14:50:00Z&to=2020-09-11T15:00:00%2B00:00'));
    expect(window.body['total']).toBe(4);
    expect((await json(app.request('/api/v1/web/runs?outcome=open'))).body['total']).toBe(0);
    expect(await json(app.request('/api/v1/web/facets'))).toEqual({
      status: 200,
      body: { instruments: ['attune-1'], procedures: ['Acquisition', 'Calibration', 'Debubble', 'Rinse', 'Sample Recovery', 'Startup'], users: ['jsmith'] },
    });
    store.close();
  });

  it('gives each procedure’s median and p90 duration per day in the viewer’s zone', async () => {
    const { app, store } = setUp();
    const answer = await json(app.request('/api/v1/web/durations?from=2020-09-01T00:00:00Z&to=2020-10-01T00:00:00Z&tz=Europe/Berlin&bucket=week'));
    expect(answer.body).toMatchObject({ bucket: 'week', zone: 'Europe/Berlin' });
    const series = answer.body['series'] as Array<{ procedure: string; points: Array<{ start: string; runs: number }> }>;
    expect(series[0]).toMatchObject({ procedure: 'Rinse', runs: 15, points: [{ start: '2020-09-07', runs: 15 }] });
    expect(series.find((one) => one.procedure === 'Startup')?.points).toEqual([{ start: '2020-09-07', runs: 3, medianS: 847.421, p90S: 860.235 }]);
    store.close();
  });

  it('replays a window or one run', async () => {
    const { app, store } = setUp();
    const day = await json(app.request('/api/v1/web/replay?instrument=attune-1&from=2020-09-11T00:00:00Z&to=2020-09-12T00:00:00Z'));
    expect(day.status).toBe(200);
    expect((day.body['steps'] as unknown[]).length).toBeGreaterThan(70);
    const runs = (await json(app.request('/api/v1/web/runs?procedure=Startup'))).body['runs'] as Array<{ runId: string }>;
    // The first Startup of the day (the third one's start also closes a Calibration: rule 6).
    const replay = await json(app.request(`/api/v1/web/replay?run=${encodeURIComponent(runs.at(-1)!.runId)}`));
    const steps = replay.body['steps'] as Array<{ event: string; outputs: string[] }>;
    expect(replay.body['initial']).toEqual(['monitor.instrument.idle', 'monitor.session.loggedIn']);
    expect(steps[0]).toMatchObject({ event: 'procedure_started', outputs: ['run opened: Startup'] });
    expect(steps.at(-1)).toMatchObject({ event: 'procedure_done', outputs: ['run closed: Startup completed'] });
    store.close();
  });

  it('answers a bad query with 400 and the reason, an unknown run with 404', async () => {
    const { app, store } = setUp();
    expect(await json(app.request('/api/v1/web/runs?outcome=exploded'))).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringContaining('outcome') } } });
    expect(await json(app.request('/api/v1/web/runs?limit=0'))).toMatchObject({ status: 400 });
    expect(await json(app.request('/api/v1/web/runs?from=yesterday'))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('from') } } });
    expect(await json(app.request('/api/v1/web/runs?color=red'))).toMatchObject({ status: 400 });
    expect(await json(app.request('/api/v1/web/durations?from=2020-09-01T00:00:00Z&to=2020-10-01T00:00:00Z&tz=Mars/Olympus'))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('time zone') } } });
    expect(await json(app.request('/api/v1/web/replay?instrument=attune-1'))).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('give instrument, from and to') } } });
    expect(await json(app.request('/api/v1/web/replay?instrument=attune-1&from=2020-09-12T00:00:00Z&to=2020-09-11T00:00:00Z'))).toMatchObject({ status: 400 });
    expect(await json(app.request('/api/v1/web/replay?instrument=../x&from=2020-09-11T00:00:00Z&to=2020-09-12T00:00:00Z'))).toMatchObject({ status: 400 });
    expect(await json(app.request('/api/v1/web/replay?run=attune-1/nope'))).toMatchObject({ status: 404 });
    store.close();
  });
});

describe('the live stream', () => {
  it('sends a snapshot, then every change in order, and unsubscribes when the page goes away', async () => {
    const { app, feed, store, subscribers } = setUp();
    const abort = new AbortController();
    const response = await app.request('/api/v1/stream', { signal: abort.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const messages = messageReader(reader);
    const first = await messages.next();
    expect(first.event).toBe('snapshot');
    const snapshot = JSON.parse(first.data) as StreamSnapshot;
    expect(snapshot.instruments.map((view) => view.status.summary)).toEqual(['Idle, nobody logged in']);
    expect(subscribers()).toBe(1);

    feed.setConnectivity('attune-1', { state: 'offline' });
    feed.setConnectivity('attune-2', { state: 'online' });
    const changes = [JSON.parse((await messages.next()).data), JSON.parse((await messages.next()).data)] as LiveChange[];
    expect(changes.map((change) => (change.type === 'instrument_changed' ? `${change.view.id} ${change.view.connectivity.state}` : change.type))).toEqual(['attune-1 offline', 'attune-2 online']);

    abort.abort();
    await reader.cancel().catch(() => undefined);
    await expect.poll(subscribers).toBe(0);
    store.close();
  });
});

describe('read access', () => {
  const access = { kind: 'protected', readToken: 'lab-wall-screen-token', basic: { user: 'lab', password: 's3cret' } } as const;

  it('asks for the token or the credentials on every page, asset, query and the stream', async () => {
    const { app, store } = setUp({ access });
    for (const path of ['/', '/statechart', '/slack-preview', '/kiosk/attune-1', '/assets/style.css', '/api/v1/web/runs', '/api/v1/stream']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="attune-monitor", charset="UTF-8"');
    }
    expect((await app.request('/', { headers: { Authorization: 'Bearer lab-wall-screen-token' } })).status).toBe(200);
    expect((await app.request('/', { headers: { Authorization: 'Bearer wrong-token-of-16-chars' } })).status).toBe(401);
    expect((await app.request('/', { headers: { Authorization: `Basic ${Buffer.from('lab:s3cret').toString('base64')}` } })).status).toBe(200);
    expect((await app.request('/', { headers: { Authorization: `Basic ${Buffer.from('lab:guess').toString('base64')}` } })).status).toBe(401);
    store.close();
  });

  it('takes the token once from the address and remembers it in a cookie for the page’s own requests', async () => {
    const { app, store } = setUp({ access });
    const first = await app.request('/?token=lab-wall-screen-token');
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^attune_read=lab-wall-screen-token; Path=\/; HttpOnly; SameSite=Strict/);
    const later = await app.request('/api/v1/web/facets', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(later.status).toBe(200);
    store.close();
  });

  it('sends a kiosk link with the token on to the address without it, the cookie set', async () => {
    const { app, store } = setUp({ access });
    const first = await app.request('/kiosk/attune%201?token=lab-wall-screen-token');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/kiosk/attune%201');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toBe('attune_read=lab-wall-screen-token');
    const page = await app.request('/kiosk/attune%201', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-instrument="attune 1"');
    expect((await app.request('/kiosk/attune-1?token=wrong-token-of-16-chars')).status).toBe(401);
    store.close();
  });

  it('guards only its own paths when mounted in the server (agents have tokens of their own)', async () => {
    const { app: server, store } = setUp({ access });
    server.post('/api/v1/events', (c) => c.json({ ok: true }));
    server.get('/healthz', (c) => c.text('ok'));
    expect((await server.request('/api/v1/events', { method: 'POST' })).status).toBe(200);
    expect((await server.request('/healthz')).status).toBe(200);
    expect((await server.request('/')).status).toBe(401);
    expect((await server.request('/api/v1/web/runs')).status).toBe(401);
    store.close();
  });
});

/** Reads server-sent events one message at a time. */
function messageReader(reader: ReadableStreamDefaultReader<string>) {
  let buffer = '';
  return {
    async next(): Promise<{ event: string; data: string }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
          return { event: field('event'), data: field('data') };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
  };
}
