import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFileName, readRecordedLog, retimedLines, type TimedLine } from '../../src/demo/retimed-log.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { FIXTURE_NAME, FIXTURE_PATH, openStore, tempDir } from '../store/store-test-kit.ts';
import { eventsOf } from '../support/attune-log.ts';
import { openBrowser, type TestBrowser } from '../support/browser.ts';
import { TestLiveFeed } from '../support/test-live-feed.ts';
import { startWebServer, type WebTestServer } from '../support/web-test-server.ts';

// The pages in Debian's Chromium, against the web app on a real HTTP server over a real SQLite
// file: attune-1 is the real log replayed today (written to a file as it goes, read as it grows,
// appended through a test live feed), attune-2 the real log on its own day (2020-09-11).

let browser: TestBrowser;
let server: WebTestServer;
let store: EventStore;
let feed: TestLiveFeed;
let todayLog: string;
let lines: TimedLine[];
let todayEvents = 0;

/** Index of the line that starts the second Startup of the real log (the instrument is idle before it). */
const SECOND_STARTUP = readFileSync(FIXTURE_PATH, 'utf8').split('\n').findIndex((line) => line.startsWith('2020-09-11 13:00:59.448'));

/** The pages refresh on their own (the run lists at most every 3 s): wait longer than expect.poll's default. */
function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000 });
}

/** Reads today's log again and appends the events its new lines gave (as an agent ships them). */
function readToday(): void {
  const events = eventsOf(basename(todayLog), readFileSync(todayLog));
  feed.append('attune-1', events.slice(todayEvents));
  todayEvents = events.length;
}

beforeAll(async () => {
  const dir = tempDir();
  store = openStore(join(dir, 'store.db'), { now: () => new Date() });
  const log = readRecordedLog(readFileSync(FIXTURE_PATH, 'utf8'));
  // Launched so that the whole log would end now.
  const start = Math.floor((Date.now() - (log.lastMs - log.firstMs) - 60_000) / 1000) * 1000;
  mkdirSync(join(dir, 'today'));
  todayLog = join(dir, 'today', launchFileName(start));
  lines = retimedLines(log, start, 1);
  writeFileSync(todayLog, lines.slice(0, SECOND_STARTUP).map((line) => line.text).join(''));
  feed = new TestLiveFeed(store, () => new Date());
  readToday();
  feed.append('attune-2', eventsOf(FIXTURE_NAME, readFileSync(FIXTURE_PATH)));
  server = await startWebServer({
    store,
    feed,
    homeTabBlocks: () => [
      { type: 'header', text: { type: 'plain_text', text: 'Attune instruments' } },
      { type: 'section', text: { type: 'mrkdwn', text: `*attune-1* · ${feed.instrument('attune-1')?.status.summary ?? ''}\nEnds <!date^1600000000^{time}|at some point>` } },
    ],
  });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
});

// One scenario, in order: the statechart sees the Startup the dashboard's test appended.
describe('the pages in a browser', () => {
  it('dashboard: the status pushed live, today’s timeline, the history and its filters, the duration charts', async () => {
    const page = await browser.page();
    await page.goto(`${server.url}/`);
    const summary = page.locator('[data-instrument="attune-1"] [data-summary]');
    await poll(() => summary.textContent()).toBe('Idle, jsmith logged in');
    await poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
    await poll(() => page.locator('#timeline .bar').count()).toBeGreaterThan(3);
    // Four runs so far today on attune-1, the 35 of the real log's day on attune-2.
    await poll(() => page.locator('#history-count').textContent()).toBe('39 of 39 runs, newest first');
    // Over the last 90 days: today's completed runs (2020 is long gone).
    await poll(() => page.locator('#durations figure').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-procedure')))).toEqual(['Rinse', 'Startup']);

    // A change on the live feed reaches the page without a reload (the whole path, agent and
    // server included, is in live-dashboard.e2e.spec.ts).
    appendFileSync(todayLog, lines[SECOND_STARTUP]!.text);
    readToday();
    await poll(() => summary.textContent()).toBe('Running Startup for jsmith');
    await poll(() => page.locator('#timeline .bar.open').count()).toBe(1);

    // The stream breaks: the page reconnects by itself and starts again from a fresh snapshot.
    const badge = page.locator('#connection');
    expect(await badge.getAttribute('data-connections')).toBe('1');
    server.dropConnections();
    await poll(() => badge.getAttribute('data-connections')).toBe('2');
    expect(await badge.getAttribute('data-state')).toBe('live');
    // Chromium reports the cut stream on the console: that one error was caused on purpose.
    const cut = browser.errors.findIndex((error) => error.endsWith('net::ERR_INCOMPLETE_CHUNKED_ENCODING'));
    if (cut !== -1) browser.errors.splice(cut, 1);
    appendFileSync(todayLog, lines[SECOND_STARTUP + 1]!.text + lines[SECOND_STARTUP + 2]!.text);
    readToday();
    await poll(() => summary.textContent()).toBe('Running Startup for jsmith (step 1)');

    // The history's filters narrow the table.
    await page.selectOption('#run-filters select[name="procedure"]', 'Startup');
    await poll(() => page.locator('#history-count').textContent()).toBe('5 of 5 runs, newest first');
    await browser.screenshot(page, 'dashboard');
    await page.setViewportSize({ width: 390, height: 844 });
    await browser.screenshot(page, 'dashboard-phone');
    await page.close();
  });

  it('statechart: the active state is highlighted live, and a past day steps through its transitions', async () => {
    const page = await browser.page();
    await page.goto(`${server.url}/statechart?instrument=attune-1`);
    const active = () => page.locator('.statechart .state.active').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-state')));
    await poll(active).toEqual(['monitor.instrument.running', 'monitor.session.loggedIn']);
    expect(await page.locator('#transitions tbody tr').first().textContent()).toContain('procedure_started Startup');

    await page.goto(`${server.url}/statechart?instrument=attune-2&day=2020-09-11`);
    await poll(() => page.locator('#step-label').textContent()).toMatch(/^start of the window \(\d+ steps\)$/);
    expect(await active()).toEqual(['monitor.instrument.softwareOff', 'monitor.session.loggedOut']);
    await page.click('[data-step="next"]');
    expect(await active()).toEqual(['monitor.instrument.idle', 'monitor.session.loggedOut']);
    expect(await page.locator('.edge.taken').getAttribute('data-edge')).toBe('monitor.instrument.softwareOff->monitor.instrument.idle');
    await page.click('[data-step="next"]');
    expect(await active()).toEqual(['monitor.instrument.idle', 'monitor.session.loggedIn']);
    expect(await page.locator('#transitions tr.current').textContent()).toContain('login jsmith');
    await page.click('[data-step="next"]');
    expect(await active()).toEqual(['monitor.instrument.running', 'monitor.session.loggedIn']);
    await page.click('[data-step="last"]');
    // The day ends with the logout (the log has no newer one: its end is not known).
    expect(await active()).toEqual(['monitor.instrument.idle', 'monitor.session.loggedOut']);
    await browser.screenshot(page, 'statechart');

    // A run from the history replays on its own.
    await page.goto(`${server.url}/`);
    await page.selectOption('#run-filters select[name="instrument"]', 'attune-2');
    await page.selectOption('#run-filters select[name="procedure"]', 'Debubble');
    await poll(() => page.locator('#history-count').textContent()).toBe('2 of 2 runs, newest first');
    await page.locator('#history tbody tr a').first().click();
    await poll(() => page.locator('#chart-status').textContent()).toMatch(/^attune-2: \d+ transitions? between/);
    await page.click('[data-step="last"]');
    expect(await page.locator('#transitions tr.current').textContent()).toContain('run closed: Debubble completed');
    await page.close();
  });

  it('Slack preview: the home tab’s blocks, times in the viewer’s zone', async () => {
    const page = await browser.page();
    await page.goto(`${server.url}/slack-preview`);
    await poll(() => page.locator('#preview .bk-header').textContent()).toBe('Attune instruments');
    await poll(() => page.locator('#preview time').textContent()).toBe('12:26');
    expect(await page.locator('#preview b').textContent()).toBe('attune-1');
    await browser.screenshot(page, 'slack-preview');
    await page.close();
  });

  it('shows no console error on any page, and asks nothing of the internet', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.offsite).toEqual([]);
  });
});
