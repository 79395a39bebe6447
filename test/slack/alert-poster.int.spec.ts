import { afterEach, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../src/live/instrument-view.ts';
import { eventsOf, logLine } from '../support/attune-log.ts';
import { FakeSlack } from '../support/fake-slack.ts';
import { ALERT_CHANNEL, SlackHarness } from '../support/slack-harness.ts';

const harnesses: SlackHarness[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function start(options: Parameters<typeof SlackHarness.start>[0] = {}): Promise<SlackHarness> {
  const h = await SlackHarness.start(options);
  harnesses.push(h);
  return h;
}

const LOG = 'System_2020-09-11_12-00-00.log';

/** jsmith acquires a tube, a bubble (twice), then the run ends: one bubble alert, raised and resolved. */
function bubblyRun(): string {
  return (
    [
      logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }),
      logLine('2020-09-11 12:00:05.000', 'login', { user: 'jsmith', category: 'Security' }),
      logLine('2020-09-11 12:01:00.000', 'Acquisition initiated', { user: 'jsmith' }),
      logLine('2020-09-11 12:01:01.000', 'Event:Starting_Acquisition', { user: 'jsmith' }),
      logLine('2020-09-11 12:01:10.000', 'Data:New Bubble Detected at  185', { user: 'jsmith', category: 'Data' }),
      logLine('2020-09-11 12:01:12.000', 'Data:New Bubble Detected at  190', { user: 'jsmith', category: 'Data' }),
      logLine('2020-09-11 12:01:30.000', 'Event:Acquisition_Done~0', { user: 'jsmith' }),
    ].join('\n') + '\n'
  );
}

function offlineAlert(resolvedAt: string | null = null): LiveAlert {
  return {
    id: 'attune-1/agent_offline:2020-09-11T12:10:00.000Z',
    instrumentId: 'attune-1',
    kind: 'agent_offline',
    raisedAt: '2020-09-11T12:10:00.000Z',
    resolvedAt,
    message: 'No heartbeat from the instrument PC for 2 min',
    procedure: null,
    well: null,
    user: 'jsmith',
  };
}

describe('alerts to SLACK_ALERT_CHANNEL', () => {
  it('post a bubble once, mention the mapped user, and resolve it in place with chat.update', async () => {
    const h = await start({ users: { JSmith: 'U0JSMITH' }, at: '2020-09-11T12:01:40.000Z' });
    const events = eventsOf(LOG, bubblyRun(), { zone: 'UTC' });
    const bubbleAt = events.findIndex((event) => event.type === 'bubble_detected');
    h.feed.append('attune-1', events.slice(0, bubbleAt + 1));
    h.feed.append('attune-1', events.slice(bubbleAt + 1, bubbleAt + 2)); // the second bubble: same condition
    await h.app.settled();
    const posts = h.fake.accepted('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(ALERT_CHANNEL);
    expect(posts[0]!.body.text).toBe('Bubble on attune-1: Bubble detected during Acquisition (tube) by jsmith');
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain('<@U0JSMITH>');

    h.feed.append('attune-1', events.slice(bubbleAt + 2));
    await h.app.settled();
    const updates = h.fake.accepted('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ channel: ALERT_CHANNEL, ts: '1600000000.000100' });
    expect(updates[0]!.body.text).toMatch(/^Resolved: Bubble on attune-1/);
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });

  it('never post alerts of history (events already old when they arrive), nor their resolution', async () => {
    const h = await start({ at: '2020-09-12T08:00:00.000Z' });
    h.feed.append('attune-1', eventsOf(LOG, bubblyRun(), { zone: 'UTC' }));
    await h.app.settled();
    expect(h.fake.calls.filter((call) => call.method.startsWith('chat.'))).toEqual([]);
  });

  it('do not re-post a condition still open, and after a restart update the message posted before it', async () => {
    const fake = await FakeSlack.start();
    fakes.push(fake);
    const first = await SlackHarness.start({ fake, at: '2020-09-11T12:10:00.000Z' });
    first.feed.setConnectivity('attune-1', { state: 'offline', reason: 'no heartbeat for 2 min' }, { change: 'alert_raised', alert: offlineAlert() });
    first.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offlineAlert() });
    await first.app.settled();
    expect(fake.accepted('chat.postMessage')).toHaveLength(1);
    await first.close({ keep: true });

    const second = await start({ fake, dbPath: first.dbPath, at: '2020-09-11T12:20:00.000Z', openAlerts: [offlineAlert()] });
    second.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offlineAlert() });
    second.feed.setConnectivity('attune-1', { state: 'online' }, { change: 'alert_resolved', alert: offlineAlert('2020-09-11T12:19:00.000Z') });
    second.feed.setConnectivity('attune-1', { state: 'online' }, { change: 'alert_resolved', alert: offlineAlert('2020-09-11T12:19:00.000Z') });
    await second.app.settled();
    expect(fake.accepted('chat.postMessage')).toHaveLength(1);
    const updates = fake.accepted('chat.update');
    expect(updates.map((call) => [call.body.channel, call.body.ts])).toEqual([[ALERT_CHANNEL, '1600000000.000100']]);
    expect(updates[0]!.body.text).toBe('Resolved: Instrument PC offline on attune-1: No heartbeat from the instrument PC for 2 min');
  });

  it('wait out a 429 on chat.postMessage and post once', async () => {
    const h = await start({ at: '2020-09-11T12:10:00.000Z' });
    h.fake.rateLimitNext('chat.postMessage', 1, 1);
    h.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offlineAlert() });
    await h.app.settled();
    const posts = h.fake.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts.map((call) => call.status)).toEqual([429, 200]);
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });

  it('keep an alert Slack refused and send it on the next tick', async () => {
    const h = await start({ at: '2020-09-11T12:10:00.000Z' });
    h.fake.failNext('chat.postMessage', 1, 'internal_error');
    h.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offlineAlert() });
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage')).toEqual([]);
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage').map((call) => call.body.text)).toEqual(['Instrument PC offline on attune-1: No heartbeat from the instrument PC for 2 min']);
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });

  it('post a refused alert as resolved when it resolves before Slack took it', async () => {
    const h = await start({ at: '2020-09-11T12:10:00.000Z' });
    h.fake.failNext('chat.postMessage', 1, 'internal_error');
    h.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offlineAlert() });
    h.feed.setConnectivity('attune-1', { state: 'online' }, { change: 'alert_resolved', alert: offlineAlert('2020-09-11T12:12:00.000Z') });
    await h.app.settled();
    await h.app.tick();
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage').map((call) => call.body.text)).toEqual(['Resolved: Instrument PC offline on attune-1: No heartbeat from the instrument PC for 2 min']);
    expect(h.fake.accepted('chat.update')).toHaveLength(0);
  });
});
