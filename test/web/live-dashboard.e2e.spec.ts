import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFileName, readRecordedLog, retimedLines, type TimedLine } from '../../src/demo/retimed-log.ts';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { slackHomePreview } from '../../src/slack/home/home-blocks.ts';
import { webPlugin } from '../../src/web/web-plugin.ts';
import { AgentProcess } from '../support/agent-process.ts';
import { openBrowser, type TestBrowser } from '../support/browser.ts';
import { FIXTURE_PATH, tempDir } from '../store/store-test-kit.ts';

// The whole path, nothing faked: a line appended to a real log file → a real agent process →
// the real server (HTTP, SQLite, live feed) → server-sent events → the dashboard in Chromium.

let browser: TestBrowser;
let server: RunningServer;
let agent: AgentProcess;
let logFile: string;
let lines: TimedLine[];

/** The line that starts the real log's second Startup: before it the instrument is idle, jsmith logged in. */
const SECOND_STARTUP = readFileSync(FIXTURE_PATH, 'utf8').split('\n').findIndex((line) => line.startsWith('2020-09-11 13:00:59.448'));

beforeAll(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs'));
  const log = readRecordedLog(readFileSync(FIXTURE_PATH, 'utf8'));
  // Launched 35 minutes ago: the lines before the second Startup end about now.
  const start = Math.floor((Date.now() - 35 * 60_000) / 1000) * 1000;
  lines = retimedLines(log, start, 1);
  logFile = join(dir, 'logs', launchFileName(start));
  writeFileSync(logFile, lines.slice(0, SECOND_STARTUP).map((line) => line.text).join(''));

  server = await startServer({
    dbPath: join(dir, 'server.db'),
    host: '127.0.0.1',
    port: 0,
    config: { ...SERVER_DEFAULTS, heartbeatIntervalMs: 1000 },
    log: pino({ level: 'silent' }),
    plugins: [webPlugin({ access: { kind: 'open' }, homeTabBlocks: slackHomePreview('UTC') })],
  });
  const { token } = server.tokens.create('attune-1');
  const args = ['--logs', join(dir, 'logs'), '--server', server.url, '--instrument', 'attune-1', '--state-dir', join(dir, 'agent'), '--timezone', 'UTC', '--poll-ms', '100', '--heartbeat-s', '1'];
  agent = new AgentProcess(args, { env: { ATTUNE_AGENT_TOKEN: token } });
  browser = await openBrowser();
});

afterAll(async () => {
  await agent?.kill('SIGTERM');
  await browser?.close();
  await server?.close();
});

function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 20_000, interval: 100 });
}

describe('the dashboard over the real server and a real agent', () => {
  it('shows a line appended to the followed log, without a reload', async () => {
    const page = await browser.page();
    await page.goto(`${server.url}/`);
    const card = page.locator('[data-instrument="attune-1"]');
    await poll(() => card.locator('[data-summary]').textContent().catch(() => null)).toBe('Idle, jsmith logged in');
    await poll(() => card.locator('[data-connectivity]').getAttribute('data-connectivity')).toBe('online');
    // Marks the page: a reload would lose it.
    await page.evaluate(() => document.body.setAttribute('data-loaded-once', 'yes'));

    appendFileSync(logFile, lines[SECOND_STARTUP]!.text);
    await poll(() => card.locator('[data-summary]').textContent()).toBe('Running Startup for jsmith');
    // One Startup before it in this log: too little history for a countdown, and the card says so.
    expect(await card.locator('[data-countdown]').textContent()).toBe('no estimate yet');
    await poll(() => page.locator('#timeline .bar.open').count()).toBe(1);
    expect(await page.evaluate(() => document.body.getAttribute('data-loaded-once'))).toBe('yes');
    await browser.screenshot(page, 'dashboard-live');

    // The Slack app's own home-tab builder, over the same feed: what Slack would be sent now.
    await page.goto(`${server.url}/slack-preview`);
    const preview = page.locator('#preview');
    await poll(() => preview.locator('.bk-header').textContent()).toBe('Attune instruments');
    expect(await preview.locator('.bk-section').first().textContent()).toContain('Running Startup for jsmith');
    expect(await preview.locator('.bk-dot.red').count()).toBe(1);
    await browser.screenshot(page, 'slack-preview-live');
    expect(browser.errors, agent.tail()).toEqual([]);
  });
});
