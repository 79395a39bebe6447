import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events/log-events.ts';
import { bearer, EVENTS_PATH, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import type { SlackApp } from '../../src/slack/slack-app.ts';
import { slackPlugin } from '../../src/slack/slack-plugin.ts';
import { FakeSlack, type FakeSlackCall } from '../support/fake-slack.ts';
import { SIGNING_SECRET, testLogger } from '../support/slack-harness.ts';
import { appHomeOpened, buttonPressed, sendSigned, slashCommand } from '../support/slack-requests.ts';
import { FIXTURE_DIR, FIXTURE_NAME, heartbeat, itemsOf, ManualClock, ManualTicks } from '../server/server-test-kit.ts';

// The whole live path on the real fixture: the log's events are shipped, line by line and at the
// time they were written, to a real `attune-monitor server` (HTTP on 127.0.0.1, SQLite file,
// live feed) that carries the Slack app as its plugin in HTTP mode (Slack's requests on the
// server's own port). The fake Slack records what the lab would have seen.

const INSTRUMENT = 'nxt-1';
const TOKEN = 'token-of-nxt-1';
const CHANNEL = 'C0ALERTS';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Items of the fixture in batches of one second of log time, as an agent polling every 250 ms ships them. */
function secondBatches(): EventItem[][] {
  const batches: EventItem[][] = [];
  let second = '';
  for (const item of itemsOf([join(FIXTURE_DIR, FIXTURE_NAME)])) {
    const at = (item.event as LogEvent).at.slice(0, 19);
    if (at !== second || batches.length === 0) batches.push([]);
    second = at;
    batches[batches.length - 1]!.push(item);
  }
  return batches;
}

function viewText(call: FakeSlackCall): string {
  return JSON.stringify(call.body.view);
}

describe('the Slack app in attune-monitor server, on the real fixture log', () => {
  it('posts the bubble once and resolves it in place, counts down while procedures run, and DMs when the instrument is free', { timeout: 120_000 }, async () => {
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.close());
    const dir = mkdtempSync(join(tmpdir(), 'attune-slack-scenario-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'users.json'), JSON.stringify({ jsmith: 'U0JSMITH' }));

    const clock = new ManualClock(Date.parse('2020-09-11T12:26:00.000Z'));
    const ticks = new ManualTicks();
    const { log, lines } = testLogger();
    let slack: SlackApp | null = null;
    const plugin = slackPlugin(
      { botToken: fake.botToken, connection: { mode: 'http', signingSecret: SIGNING_SECRET }, apiUrl: fake.apiUrl, alertChannel: CHANNEL, userMapPath: join(dir, 'users.json'), freeAfterIdleMinutes: 30, publicUrl: null },
      { log, timeZone: 'UTC', tuning: { tickMs: 0, homeMinIntervalMs: 0, retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 } }, onStarted: (app) => (slack = app) },
    );
    const server: RunningServer = await startServer({ dbPath: join(dir, 'server.db'), host: '127.0.0.1', port: 0, config: { ...SERVER_DEFAULTS, heartbeatIntervalMs: 60_000, graceMs: 120_000 }, log, clock, every: ticks.every, plugins: [plugin] });
    cleanup.push(() => server.close());
    server.tokens.register(INSTRUMENT, TOKEN);
    const app = slack as SlackApp | null;
    if (app === null) throw new Error('the Slack plugin did not start');
    const slackUrl = `${server.url}/slack/events`;

    const post = async (path: string, body: unknown) => {
      const answer = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: bearer(TOKEN) }, body: JSON.stringify(body) });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    };
    /** Where each line's Slack calls begin in the fake's record, by the line's time. */
    const marks: Array<{ at: string; message: string; calls: number }> = [];
    let lastMinute = '';
    let subscribed = false;
    let asked = false;

    for (const batch of secondBatches()) {
      const event = batch[0]!.event as LogEvent;
      // The agent ships each second of log a second after it was written.
      clock.set(new Date(Date.parse(event.at) + 1000).toISOString());
      marks.push({ at: event.at, message: batch.map((item) => item.raw ?? '').join('\n'), calls: fake.calls.length });
      const minute = event.at.slice(0, 16);
      if (minute !== lastMinute) {
        // Once a minute of log time: the agent's heartbeat, the server's and the Slack app's ticks.
        lastMinute = minute;
        await post(HEARTBEAT_PATH, heartbeat(clock, { instrument_id: INSTRUMENT, last_line_at: event.at }));
        ticks.run();
        await app.tick();
      }
      await post(EVENTS_PATH, { instrument_id: INSTRUMENT, events: batch });
      if (marks.length === 5) expect((await sendSigned(slackUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'EvAlice'))).status).toBe(200);
      if (!subscribed && event.at >= '2020-09-11T13:00:00.000Z') {
        subscribed = true;
        expect((await sendSigned(slackUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:0', `on:${INSTRUMENT}`))).status).toBe(200);
      }
      if (!asked && event.at >= '2020-09-11T14:40:00.000Z') {
        asked = true;
        expect((await sendSigned(slackUrl, SIGNING_SECRET, slashCommand('U0BOB', '/attune', fake.responseUrl('attune')))).status).toBe(200);
      }
      await app.settled();
    }
    /** Where the calls caused by the first batch holding `message` (at or after `from`) begin. */
    const callsAt = (message: string, from = '') => marks.find((mark) => mark.at >= from && mark.message.includes(message))!.calls;
    const nextBatch = (calls: number) => marks.find((mark) => mark.calls > calls)?.calls ?? fake.calls.length;

    // Alerts: exactly the bubble, posted once while the acquisition ran, resolved in place when it ended.
    const posts = fake.accepted('chat.postMessage').filter((call) => call.body.channel === CHANNEL);
    expect(posts.map((call) => call.body.text)).toEqual(['Bubble on nxt-1: Bubble detected during Acquisition (tube) by jsmith']);
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain('<@U0JSMITH>');
    const postIndex = fake.calls.indexOf(posts[0]!);
    const bubble = callsAt('Bubble Detected');
    expect(postIndex).toBeGreaterThanOrEqual(bubble);
    expect(postIndex).toBeLessThan(nextBatch(bubble));
    const updates = fake.accepted('chat.update');
    expect(updates.map((call) => [call.body.channel, call.body.ts, call.body.text])).toEqual([
      [CHANNEL, '1600000000.000100', 'Resolved: Bubble on nxt-1: Bubble detected during Acquisition (tube) by jsmith'],
    ]);
    const updateIndex = fake.calls.indexOf(updates[0]!);
    expect(updateIndex).toBeGreaterThan(postIndex);
    const runEnd = callsAt('Event:Acquisition_Done~0', '2020-09-11T14:31:10.000Z');
    expect(updateIndex).toBeGreaterThanOrEqual(runEnd);
    expect(updateIndex).toBeLessThan(nextBatch(runEnd));

    // Home tab: kept current for Alice; a countdown (Slack date token, minutes left) while procedures ran.
    const publishes = fake.accepted('views.publish');
    expect(new Set(publishes.map((call) => call.body.user_id))).toEqual(new Set(['U0ALICE', 'U0BOB']));
    const countdowns = publishes.filter((call) => /ends ≈ <!date\^\d+\^\{time\}\|\d\d:\d\d UTC> \(about \d+ min left\)/.test(viewText(call)));
    expect(countdowns.length).toBeGreaterThan(10);
    expect(countdowns.some((call) => viewText(call).includes('*Rinse*'))).toBe(true);
    expect(viewText(publishes.find((call) => fake.calls.indexOf(call) > postIndex)!)).toContain(':warning: *Bubble detected during Acquisition (tube) by jsmith*');
    // No publish repeats the view the user already has.
    for (const user of ['U0ALICE', 'U0BOB']) {
      const views = publishes.filter((call) => call.body.user_id === user).map(viewText);
      expect(views.filter((view, i) => i > 0 && view === views[i - 1])).toEqual([]);
    }
    const lastForAlice = publishes.filter((call) => call.body.user_id === 'U0ALICE').at(-1)!;
    expect(viewText(lastForAlice)).toContain(':large_green_circle: *Free*');
    expect(viewText(lastForAlice)).toContain(':satellite_antenna: online since <!date^');

    // Notify when free: Bob pressed at 13:00 while jsmith worked; one DM, only after the logout.
    const dms = fake.accepted('chat.postMessage').filter((call) => call.body.channel !== CHANNEL);
    expect(dms.map((call) => [call.body.channel, call.body.text])).toEqual([['DU0BOB', 'nxt-1 is free now: Idle, nobody logged in']]);
    expect(fake.calls.indexOf(dms[0]!)).toBeGreaterThanOrEqual(callsAt(',logout,'));

    // /attune answered through the response URL, and one auth.test for the whole run.
    expect(fake.accepted('response_url').map((call) => call.body.text)).toEqual(['Attune status: 1 instrument, 0 free']);
    expect(fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
    expect(fake.calls.filter((call) => !call.ok)).toEqual([]);
    expect(lines().filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
