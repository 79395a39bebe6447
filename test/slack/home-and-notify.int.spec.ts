import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf, logLine } from '../support/attune-log.ts';
import { SIGNING_SECRET, SlackHarness } from '../support/slack-harness.ts';
import { appHomeOpened, buttonPressed, sendSigned } from '../support/slack-requests.ts';

let harness: SlackHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const LOG = 'System_2020-09-11_12-00-00.log';
const lines = [
  logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }),
  logLine('2020-09-11 12:00:05.000', 'login', { user: 'jsmith', category: 'Security' }),
  logLine('2020-09-11 12:01:00.000', 'Event:Starting_Rinse', { user: 'jsmith' }),
  logLine('2020-09-11 12:01:05.000', 'Instrument function Rinse executing line 3', { user: 'jsmith' }),
  logLine('2020-09-11 12:02:00.000', 'Event:Rinse_Done~0', { user: 'jsmith' }),
];
const events = eventsOf(LOG, lines.join('\n') + '\n', { zone: 'UTC' });
const upTo = (message: string) => events.slice(0, events.findIndex((event) => event.source.line === lines.findIndex((line) => line.includes(message)) + 1) + 1);

function publishedTo(h: SlackHarness): string[] {
  return h.fake.accepted('views.publish').map((call) => String(call.body.user_id));
}

describe('home tab refreshes', () => {
  it('follow changes and the tick for recent viewers, skipping views that did not change', async () => {
    const h = (harness = await SlackHarness.start({ at: '2020-09-11T12:00:30.000Z' }));
    h.feed.append('attune-1', upTo('login'));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    await h.app.settled();
    expect(publishedTo(h)).toEqual(['U0ALICE']);

    await h.app.tick();
    await h.app.settled();
    expect(publishedTo(h)).toHaveLength(1); // nothing changed, nothing sent

    h.clock.set('2020-09-11T12:01:30.000Z');
    h.feed.append('attune-1', upTo('executing line 3').slice(upTo('login').length));
    await h.app.settled();
    expect(publishedTo(h)).toHaveLength(2);
    expect(JSON.stringify(h.fake.accepted('views.publish').at(-1)!.body.view)).toContain('*Rinse* · step 3');

    h.clock.advance(60_000); // "running 1 min" → "running 2 min": the countdown moves with time alone
    await h.app.tick();
    await h.app.settled();
    expect(publishedTo(h)).toHaveLength(3);

    h.clock.advance(25 * 3_600_000); // a day later the tab is no longer kept up to date
    await h.app.tick();
    await h.app.settled();
    expect(publishedTo(h)).toHaveLength(3);
  });
});

describe('"Notify me when free"', () => {
  it('counts someone logged in but idle for the configured minutes as free', async () => {
    const h = (harness = await SlackHarness.start({ at: '2020-09-11T12:02:30.000Z', idleMinutes: 30 }));
    h.feed.append('attune-1', events);
    await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:0', 'on:attune-1'));
    await h.app.settled();
    h.clock.set('2020-09-11T12:31:00.000Z');
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('conversations.open')).toEqual([]);
    h.clock.set('2020-09-11T12:32:01.000Z');
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('conversations.open').map((call) => call.body.users)).toEqual(['U0BOB']);
    expect(h.fake.accepted('chat.postMessage').map((call) => call.body.text)).toEqual(['attune-1 is free now: Idle, jsmith logged in']);
  });

  it('never says free while the server cannot see the instrument', async () => {
    const h = (harness = await SlackHarness.start({ at: '2020-09-11T12:00:30.000Z' }));
    h.feed.append('attune-1', upTo('login'));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:0', 'on:attune-1'));
    await h.app.settled();
    h.feed.setConnectivity('attune-1', { state: 'offline', reason: 'no heartbeat for 2 min' });
    h.clock.set('2020-09-11T14:00:00.000Z');
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('conversations.open')).toEqual([]);
  });

  it('answers at once when the instrument is free already, and can be taken back', async () => {
    const h = (harness = await SlackHarness.start({ at: '2020-09-11T12:00:30.000Z', idleMinutes: null }));
    h.feed.append('attune-1', eventsOf(LOG, [...lines, logLine('2020-09-11 12:02:10.000', 'logout', { user: 'jsmith', category: 'Security' })].join('\n') + '\n', { zone: 'UTC' }));
    h.feed.append('attune-2', eventsOf(LOG, lines.slice(0, 2).join('\n') + '\n', { zone: 'UTC' }));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:0', 'on:attune-1'));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:1', 'on:attune-2'));
    await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:1', 'off:attune-2'));
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage').map((call) => call.body.text)).toEqual(['attune-1 is free now: Idle, nobody logged in']);
    h.feed.append('attune-2', eventsOf(LOG, [...lines.slice(0, 2), logLine('2020-09-11 12:00:40.000', 'logout', { user: 'jsmith', category: 'Security' })].join('\n') + '\n', { zone: 'UTC' }).slice(-1));
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });
});
