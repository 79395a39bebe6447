import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/event-store.ts';
import { labDayInProgress, type LabDayInProgress } from '../../src/synthetic/lab-day-in-progress.ts';
import { eventsOf } from '../support/attune-log.ts';
import { openBrowser, type TestBrowser } from '../support/browser.ts';
import { overlappingPairs, routesThroughBoxes, type Rect, type Route } from '../support/chart-crossings.ts';
import { TestLiveFeed } from '../support/test-live-feed.ts';
import { startWebServer, type WebTestServer } from '../support/web-test-server.ts';

// A lab's day in progress, in Debian's Chromium: eight days of generated history at real speed
// and a Startup 40 % done on attune-1, the server's and the browser's clocks running from the
// middle of that run. The kiosk, the dashboard's legends and cards, the statechart's layout.

const INSTRUMENT = 'attune-1';
const TOKEN = 'wall-screen-token-0123';

let dir: string;
let browser: TestBrowser;
let server: WebTestServer;
let store: EventStore;
let feed: TestLiveFeed;
let day: LabDayInProgress;
/** The lab's clock: the middle of the run when the test started, moving at real speed. */
let labNow: () => number;
let nextLine = 0;
let currentText = '';

function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000 });
}

/** Pages on the lab's clock (Date, timers), which moves on at real speed from the middle of the run. */
async function labPage(): Promise<Page> {
  const page = await browser.page();
  await page.clock.install({ time: labNow() });
  return page;
}

/** The agent ships the current launch's next lines (as if they had just been written). */
function shipNextLines(count: number): void {
  const before = eventsOf(day.current.name, currentText).length;
  for (const line of day.next.slice(nextLine, nextLine + count)) currentText += line.text;
  nextLine += count;
  feed.append(INSTRUMENT, eventsOf(day.current.name, currentText).slice(before));
}

const webOptions = () => ({ store, feed, now: () => new Date(labNow()) });

beforeAll(async () => {
  day = labDayInProgress({ endDate: '2026-03-10', days: 8, seed: 7, procedure: 'Startup', fraction: 0.4 });
  const startedAt = Date.now();
  labNow = () => day.nowMs + (Date.now() - startedAt);
  dir = mkdtempSync(join(tmpdir(), 'attune-lab-day-'));
  store = EventStore.open(join(dir, 'store.db'), { now: () => new Date(labNow()) });
  feed = new TestLiveFeed(store, () => new Date(labNow()));
  for (const file of day.past) feed.append(INSTRUMENT, eventsOf(file.name, file.text, { ended: true }));
  currentText = day.current.text;
  feed.append(INSTRUMENT, eventsOf(day.current.name, currentText));
  server = await startWebServer(webOptions());
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a lab’s day in progress, in a browser', () => {
  it('kiosk: the run in progress in large type, its countdown ticking, nothing from outside, back after a server restart', async () => {
    const page = await labPage();
    await page.goto(`${server.url}/kiosk/${INSTRUMENT}`);
    const word = page.locator('[data-state-word]');
    await poll(() => word.textContent()).toBe('busy');
    expect(await page.locator('[data-procedure]').textContent()).toBe('Startup');
    expect(await page.locator('[data-step]').textContent()).toMatch(/^step: Startup, line \d+ · running for \d+ min \d+ s$/);
    const left = page.locator('[data-left]');
    expect(await left.textContent()).toMatch(/^\d+:\d\d left$/);
    expect(await page.locator('[data-range]').textContent()).toMatch(/^ends ≈ \d\d:\d\d(:\d\d)? · likely \d\d:\d\d(:\d\d)?–\d\d:\d\d(:\d\d)? \(p10–p90 of \d+ past runs\)$/);
    expect(await page.locator('[data-user]').textContent()).toMatch(/^\w+, since \d\d:\d\d$/);
    expect(await page.locator('[data-problem]').textContent()).not.toBe('');

    // The countdown ticks by the second, in the same element (patched, not rebuilt).
    await left.evaluate((node) => ((window as unknown as { countdownNode: Element }).countdownNode = node));
    const first = await left.textContent();
    await poll(() => left.textContent()).not.toBe(first);
    expect(await left.evaluate((node) => (window as unknown as { countdownNode: Element }).countdownNode === node)).toBe(true);

    // Readable from two metres: the main text is at least 48 px.
    const sizes = await page.evaluate(() =>
      ['.k-name', '[data-state-word]', '[data-procedure]', '[data-left]', '[data-user]'].map((selector) => parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize)),
    );
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(48);
    await browser.screenshot(page, 'kiosk');

    // The server restarts: the page says so, comes back by itself and shows what happened meanwhile.
    const badge = page.locator('#connection');
    expect(await badge.getAttribute('data-connections')).toBe('1');
    const port = Number(new URL(server.url).port);
    await server.close();
    await poll(() => badge.getAttribute('data-state')).toBe('reconnecting');
    const stepBefore = await page.locator('[data-step]').textContent();
    shipNextLines(4);
    server = await startWebServer(webOptions(), port);
    await poll(() => badge.getAttribute('data-connections')).toBe('2');
    expect(await badge.getAttribute('data-state')).toBe('live');
    await poll(() => page.locator('[data-step]').textContent()).not.toBe(stepBefore);
    // The refused connections while the server was down are the only console errors.
    browser.errors.splice(0, browser.errors.length, ...browser.errors.filter((error) => !/ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING/.test(error)));
    expect(browser.offsite).toEqual([]);
    await page.close();
  });

  it('kiosk: a link with the read token sets the cookie once and leaves the address bar', async () => {
    const guarded = await startWebServer({ ...webOptions(), access: { kind: 'protected', readToken: TOKEN, basic: null } });
    try {
      const page = await labPage();
      expect((await page.goto(`${guarded.url}/kiosk/${INSTRUMENT}`))?.status()).toBe(401);
      await page.goto(`${guarded.url}/kiosk/${INSTRUMENT}?token=${TOKEN}`);
      expect(page.url()).toBe(`${guarded.url}/kiosk/${INSTRUMENT}`);
      await poll(() => page.locator('[data-state-word]').textContent()).toBe('busy');
      expect(await page.locator('#connection').getAttribute('data-state')).toBe('live');
      // Reloaded (a kiosk PC's morning), the cookie is enough.
      await page.reload();
      await poll(() => page.locator('[data-procedure]').textContent()).toBe('Startup');
      await page.close();
    } finally {
      await guarded.close();
    }
    // The refusal was on purpose (and so is the 404 of the favicon the browser guessed beside it).
    const refused = `${guarded.url}/kiosk/${INSTRUMENT}: Failed to load resource: the server responded with a status of `;
    browser.errors.splice(0, browser.errors.length, ...browser.errors.filter((error) => !(error.startsWith(`${refused}401`) || error.startsWith(`${refused}404`))));
  });

  it('dashboard: legends for the timeline and the charts, outcomes in words and marks, cards updated in place', async () => {
    const page = await labPage();
    await page.goto(`${server.url}/`);
    const card = page.locator(`[data-instrument="${INSTRUMENT}"]`);
    await poll(() => card.locator('[data-countdown]').textContent()).toMatch(/^about \d+ min left$/);
    expect(await page.locator('#connection').getAttribute('aria-live')).toBe('polite');
    expect(await card.locator('[data-countdown]').getAttribute('aria-live')).toBe('polite');

    expect(await page.locator('#timeline-legend li').allTextContents()).toEqual(['✓completed', '✗failed', '⊘cancelled', '↯interrupted', '?unconfirmed', '▶still running', 'now']);
    expect(await page.locator('#durations-legend [data-series]').evaluateAll((items) => items.map((item) => item.getAttribute('data-series')))).toEqual(['median', 'p90', 'band']);
    const dash = (selector: string) => page.locator(selector).first().evaluate((node) => getComputedStyle(node).strokeDasharray);
    await poll(() => page.locator('#durations figure').count()).toBeGreaterThan(2);
    // The legend draws its lines as the charts do.
    expect(await dash('#durations-legend .median')).toBe(await dash('#durations .median'));
    expect(await dash('#durations-legend .p90')).toBe(await dash('#durations .p90'));
    expect(await dash('#durations .p90')).not.toBe('none');

    // Outcome by word and mark, not by colour alone; one date format.
    await poll(() => page.locator('#history tbody tr').count()).toBeGreaterThan(10);
    const outcomes = await page.locator('#history .outcome').allTextContents();
    expect(outcomes[0]).toBe('▶ still running');
    expect(outcomes.slice(1).every((text) => /^(✓ completed|✗ failed|⊘ cancelled|↯ interrupted|\? unconfirmed)$/.test(text))).toBe(true);
    const started = await page.locator('#history tbody tr td:first-child').allTextContents();
    expect(started.every((text) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(text))).toBe(true);
    await poll(() => page.locator('#timeline .bar.open text').textContent()).toMatch(/^▶/);

    // A second later and after a change on the feed, the card is the same element.
    await card.evaluate((node) => ((window as unknown as { cardNode: Element }).cardNode = node));
    const summary = await card.locator('[data-summary]').textContent();
    shipNextLines(3);
    await poll(() => card.locator('[data-summary]').textContent()).not.toBe(summary);
    expect(await card.evaluate((node) => (window as unknown as { cardNode: Element }).cardNode === node)).toBe(true);
    await browser.screenshot(page, 'dashboard-lab-day');
    // The card leads to the instrument's kiosk page.
    await card.locator('a.kiosk-link').click();
    await poll(() => page.locator('[data-procedure]').textContent()).toBe('Startup');
    expect(page.url()).toBe(`${server.url}/kiosk/${INSTRUMENT}`);
    await page.close();
  });

  it('statechart: no edge crosses a state box, no label lies on another, the day’s transitions 50 at a time', async () => {
    const page = await labPage();
    // Yesterday: a whole day at the instrument.
    await page.goto(`${server.url}/statechart?instrument=${INSTRUMENT}&day=2026-03-09`);
    await poll(() => page.locator('#transitions-count').textContent()).toMatch(/^50 of \d+ transitions, oldest first$/);
    // The geometry as the browser drew it, in the SVG's own units.
    const drawn = await page.evaluate(() => {
      const rect = (node: SVGGraphicsElement, id: string) => {
        const box = node.getBBox();
        return { id, x: box.x, y: box.y, width: box.width, height: box.height };
      };
      const states = [...document.querySelectorAll<SVGGElement>('.statechart g.state')].map((g) => rect(g.querySelector('rect')!, g.dataset['state']!));
      const labels = [...document.querySelectorAll<SVGGElement>('.statechart [data-label-of]')].map((g) => rect(g.querySelector('rect')!, `label of ${g.dataset['labelOf']!}`));
      const routes = [...document.querySelectorAll<SVGGElement>('.statechart g.edge')].map((g) => {
        const path = g.querySelector('path')!;
        const points = [];
        // Corners of the route: the path is straight lines only (M/L).
        for (const [, x, y] of (path.getAttribute('d') ?? '').matchAll(/[ML] (-?[\d.]+) (-?[\d.]+)/g)) points.push({ x: Number(x), y: Number(y) });
        return { id: g.dataset['edge']!, points };
      });
      return { states, labels, routes };
    });
    const { states, labels, routes } = drawn as { states: Rect[]; labels: Rect[]; routes: Route[] };
    expect(states).toHaveLength(7);
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.every((route) => route.points.length >= 2)).toBe(true);
    expect(routesThroughBoxes(routes, states)).toEqual([]);
    expect(overlappingPairs(labels)).toEqual([]);
    expect(overlappingPairs(states)).toEqual([]);

    // The log: 50 transitions, 50 more on demand, and down to wherever the player goes.
    expect(await page.locator('#transitions tbody tr').count()).toBe(50);
    const total = Number(/of (\d+)/.exec((await page.locator('#transitions-count').textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(150);
    await browser.screenshot(page, 'statechart-lab-day');
    await page.click('#transitions-more');
    expect(await page.locator('#transitions tbody tr').count()).toBe(100);
    expect(await page.locator('#transitions-count').textContent()).toBe(`100 of ${total} transitions, oldest first`);
    await page.click('[data-step="last"]');
    expect(await page.locator('#transitions tr.current').getAttribute('data-position')).toBe(String(total));
    expect(await page.locator('#transitions-more').isHidden()).toBe(true);
    await page.close();
  });

  it('shows no other console error, and asks nothing of the internet', () => {
    expect(browser.errors).toEqual([]);
    expect(browser.offsite).toEqual([]);
  });
});
