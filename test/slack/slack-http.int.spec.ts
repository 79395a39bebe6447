import { afterEach, describe, expect, it } from 'vitest';
import { logLine } from '../support/attune-log.ts';
import { eventsOf } from '../support/attune-log.ts';
import { SIGNING_SECRET, SlackHarness } from '../support/slack-harness.ts';
import { appHomeOpened, buttonPressed, sendSigned, slashCommand, urlVerification } from '../support/slack-requests.ts';

let harness: SlackHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(options: Parameters<typeof SlackHarness.start>[0] = {}): Promise<SlackHarness> {
  harness = await SlackHarness.start(options);
  return harness;
}

/** jsmith logs in on attune-1 at 12:00:05 (so it is busy); `more` lines follow. */
function busyLog(more: string[] = []): string {
  return [logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }), logLine('2020-09-11 12:00:05.000', 'login', { user: 'jsmith', category: 'Security' }), ...more].join('\n') + '\n';
}

const LOG = 'System_2020-09-11_12-00-00.log';

describe('Slack app over HTTP (/slack/events on the server port)', () => {
  it('refuses a bad signature, another secret, a stale or missing timestamp with 401, and does nothing', async () => {
    const h = await start();
    const body = appHomeOpened('U0ALICE', 'Ev1');
    const nowS = Math.floor(Date.now() / 1000);
    const answers = await Promise.all([
      sendSigned(h.eventsUrl, SIGNING_SECRET, body, { signature: `v0=${'0'.repeat(64)}` }),
      sendSigned(h.eventsUrl, SIGNING_SECRET, body, { secret: 'fedcba9876543210fedcba9876543210' }),
      sendSigned(h.eventsUrl, SIGNING_SECRET, body, { timestamp: nowS - 301 }),
      sendSigned(h.eventsUrl, SIGNING_SECRET, body, { timestamp: nowS + 400 }),
      fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.raw }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await answers[2]!.json()).toEqual({ error: 'stale X-Slack-Request-Timestamp (more than 5 minutes off)' });
    await h.app.settled();
    expect(h.fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
  });

  it('refuses an oversized body with 413 before reading it as Slack’s', async () => {
    const h = await start();
    const answer = await sendSigned(h.eventsUrl, SIGNING_SECRET, { raw: JSON.stringify({ type: 'event_callback', padding: 'x'.repeat(300 * 1024) }), contentType: 'application/json' });
    expect(answer.status).toBe(413);
  });

  it('answers the URL verification handshake', async () => {
    const h = await start();
    const answer = await sendSigned(h.eventsUrl, SIGNING_SECRET, urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    expect(await answer.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('publishes the home tab on app_home_opened, with one auth.test at start and none per event', async () => {
    const h = await start();
    h.feed.append('attune-1', eventsOf(LOG, busyLog(), { zone: 'UTC' }));
    const answer = await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    expect(answer.status).toBe(200);
    await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0BOB', 'Ev2'));
    await h.app.settled();
    const publishes = h.fake.accepted('views.publish');
    expect(publishes.map((call) => call.body.user_id)).toEqual(['U0ALICE', 'U0BOB']);
    expect(JSON.stringify(publishes[0]!.body.view)).toContain('*attune-1*   :red_circle: *Busy*');
    expect(h.fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
  });

  it('does not act twice on an event Slack re-sends (x-slack-retry-num), even when the tab would now differ', async () => {
    const h = await start();
    h.feed.append('attune-1', eventsOf(LOG, busyLog([logLine('2020-09-11 12:00:10.000', 'Event:Starting_Rinse')]), { zone: 'UTC' }));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    await h.app.settled();
    expect(h.fake.accepted('views.publish')).toHaveLength(1);
    // Three minutes later "running … min" reads differently: a second handling would publish.
    h.clock.advance(3 * 60_000);
    const retry = await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'), { retryNum: 1 });
    expect(retry.status).toBe(200);
    const fresh = await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0CAROL', 'Ev3'), { retryNum: 1 });
    expect(fresh.status).toBe(200);
    await h.app.settled();
    expect(h.fake.accepted('views.publish').map((call) => call.body.user_id)).toEqual(['U0ALICE', 'U0CAROL']);
  });

  it('"Notify me when free": acked, kept, the button flips, one DM when the instrument is free', async () => {
    const h = await start();
    h.feed.append('attune-1', eventsOf(LOG, busyLog(), { zone: 'UTC' }));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    const pressed = await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0ALICE', 'attune_notify_when_free:0', 'on:attune-1'));
    expect(pressed.status).toBe(200);
    await h.app.settled();
    const last = h.fake.accepted('views.publish').at(-1)!;
    expect(JSON.stringify(last.body.view)).toContain('"value":"off:attune-1"');
    expect(h.fake.accepted('chat.postMessage')).toEqual([]);

    const logout = eventsOf(LOG, busyLog([logLine('2020-09-11 12:01:00.000', 'logout', { user: 'jsmith', category: 'Security' })]), { zone: 'UTC' }).slice(-1);
    h.feed.append('attune-1', logout);
    h.feed.append('attune-1', []);
    await h.app.settled();
    expect(h.fake.accepted('conversations.open').map((call) => call.body.users)).toEqual(['U0ALICE']);
    const dms = h.fake.accepted('chat.postMessage');
    expect(dms.map((call) => [call.body.channel, call.body.text])).toEqual([['DU0ALICE', 'attune-1 is free now: Idle, nobody logged in']]);
    // The request is forgotten once told: no second DM on the next change or tick.
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });

  it('/attune: acked at once with an empty 200, the status arrives ephemeral at the response URL', async () => {
    const h = await start();
    h.feed.append('attune-1', eventsOf(LOG, busyLog(), { zone: 'UTC' }));
    const answer = await sendSigned(h.eventsUrl, SIGNING_SECRET, slashCommand('U0ALICE', '/attune', h.fake.responseUrl('cmd1')));
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('');
    await h.fake.waitFor((fake) => fake.accepted('response_url').length === 1);
    const [reply] = h.fake.accepted('response_url');
    expect(reply!.body.response_type).toBe('ephemeral');
    expect(reply!.body.text).toBe('Attune status: 1 instrument, 0 free');
  });

  it('waits out a 429 with Retry-After and publishes, never losing the view', async () => {
    const h = await start();
    h.feed.append('attune-1', eventsOf(LOG, busyLog(), { zone: 'UTC' }));
    h.fake.rateLimitNext('views.publish', 1, 1);
    const started = Date.now();
    await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    await h.app.settled();
    const publishes = h.fake.calls.filter((call) => call.method === 'views.publish');
    expect(publishes.map((call) => call.status)).toEqual([429, 200]);
    expect(publishes[1]!.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
