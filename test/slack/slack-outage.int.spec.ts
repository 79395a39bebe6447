import { afterEach, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../src/live/instrument-view.ts';
import { FakeSlack, type SlackOutage } from '../support/fake-slack.ts';
import { ALERT_CHANNEL, SlackHarness } from '../support/slack-harness.ts';

// Slack's Web API goes away (port closed, 503s, or no answer at all) and comes back: alerts raised
// meanwhile wait in the SQLite outbox and go out once, in order, soon after; across a restart too.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await FakeSlack.start();
  cleanups.push(() => fake.close());
  return fake;
}

async function harness(options: Parameters<typeof SlackHarness.start>[0]): Promise<SlackHarness> {
  const h = await SlackHarness.start(options);
  cleanups.push(() => h.close());
  return h;
}

function alert(instrumentId: string, minute: number, resolvedAt: string | null = null): LiveAlert {
  const raisedAt = `2020-09-11T12:${String(minute).padStart(2, '0')}:00.000Z`;
  return {
    id: `${instrumentId}/agent_offline:${raisedAt}`,
    instrumentId,
    kind: 'agent_offline',
    raisedAt,
    resolvedAt,
    message: `No heartbeat from ${instrumentId} for 2 min`,
    procedure: null,
    well: null,
    user: null,
  };
}

const texts = (fake: FakeSlack, method: string) => fake.accepted(method).map((call) => String(call.body.text));

describe('alerts while Slack is unreachable', () => {
  for (const outage of ['refused', 'unavailable', 'hang'] as SlackOutage[]) {
    it(`are kept and delivered once, in order, when Slack answers again (${outage})`, async () => {
      const fake = await fakeSlack();
      const h = await harness({ fake, at: '2020-09-11T12:10:00.000Z' });
      await fake.goDown(outage);
      h.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-1', 8) });
      h.feed.setConnectivity('attune-2', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-2', 9) });
      // attune-1 came back before Slack did: its alert goes out once, resolved.
      h.feed.setConnectivity('attune-1', { state: 'online' }, { change: 'alert_resolved', alert: alert('attune-1', 8, '2020-09-11T12:09:30.000Z') });
      h.feed.setConnectivity('attune-3', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-3', 10) });
      await new Promise((resolve) => setTimeout(resolve, 600)); // a few rounds of the outbox against a dead Slack
      expect(fake.calls.filter((call) => call.method.startsWith('chat.'))).toEqual([]);
      if (outage !== 'refused') expect(fake.missed.length).toBeGreaterThan(0);
      expect(h.app.queuedAlerts).toBe(3);

      const backAt = Date.now();
      await fake.comeBack();
      const shownResolved = (f: FakeSlack) => [...f.messages.values()].some((message) => String(message.text).startsWith('Resolved: Instrument PC offline on attune-1'));
      await fake.waitFor((f) => f.accepted('chat.postMessage').length === 3 && shownResolved(f), 60_000);
      expect(Date.now() - backAt).toBeLessThan(60_000);
      expect(texts(fake, 'chat.postMessage').map((text) => /on (attune-\d)/.exec(text)?.[1])).toEqual(['attune-1', 'attune-2', 'attune-3']);
      if (outage === 'hang') {
        // The raise of attune-1 was on its way when Slack stopped answering; the client sent it
        // again when Slack was back: posted, then updated, never posted twice.
        expect(texts(fake, 'chat.update')).toEqual(['Resolved: Instrument PC offline on attune-1: No heartbeat from attune-1 for 2 min']);
      } else {
        expect(texts(fake, 'chat.postMessage')[0]).toBe('Resolved: Instrument PC offline on attune-1: No heartbeat from attune-1 for 2 min');
        expect(fake.accepted('chat.update')).toEqual([]);
      }
      await h.app.tick();
      await h.app.settled();
      expect(fake.accepted('chat.postMessage')).toHaveLength(3);
      expect(fake.accepted('chat.update').length).toBeLessThanOrEqual(1);
      expect(h.app.queuedAlerts).toBe(0);
    }, 90_000);
  }

  it('are delivered after a restart when Slack was down until the stop', async () => {
    const fake = await fakeSlack();
    const first = await SlackHarness.start({ fake, at: '2020-09-11T12:10:00.000Z' });
    await fake.goDown('unavailable');
    first.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-1', 9) });
    first.feed.setConnectivity('attune-2', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-2', 10) });
    await first.close({ keep: true });
    await fake.comeBack();

    const second = await harness({ fake, dbPath: first.dbPath, at: '2020-09-11T12:12:00.000Z', openAlerts: [alert('attune-1', 9), alert('attune-2', 10)] });
    await fake.waitFor((f) => f.accepted('chat.postMessage').length === 2);
    await second.app.settled();
    expect(texts(fake, 'chat.postMessage')).toEqual([
      'Instrument PC offline on attune-1: No heartbeat from attune-1 for 2 min',
      'Instrument PC offline on attune-2: No heartbeat from attune-2 for 2 min',
    ]);
    expect(second.app.queuedAlerts).toBe(0);
  });

  it('are marked resolved at start-up when they resolved while the server was stopped', async () => {
    const fake = await fakeSlack();
    const first = await SlackHarness.start({ fake, at: '2020-09-11T12:10:00.000Z' });
    first.feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-1', 9) });
    first.feed.setConnectivity('attune-2', { state: 'offline' }, { change: 'alert_raised', alert: alert('attune-2', 10) });
    await first.app.settled();
    expect(fake.accepted('chat.postMessage')).toHaveLength(2);
    await first.close({ keep: true });

    // Back an hour later: attune-2 is still offline, attune-1 came back meanwhile.
    const second = await harness({ fake, dbPath: first.dbPath, at: '2020-09-11T13:10:00.000Z', openAlerts: [alert('attune-2', 10)] });
    await fake.waitFor((f) => f.accepted('chat.update').length === 1);
    await second.app.settled();
    const [update] = fake.accepted('chat.update');
    expect(update!.body).toMatchObject({ channel: ALERT_CHANNEL, ts: '1600000000.000100' });
    expect(update!.body.text).toBe('Resolved: Instrument PC offline on attune-1: No heartbeat from attune-1 for 2 min');
    expect(JSON.stringify(update!.body.blocks)).toContain('resolved while the monitor was stopped');
    expect(fake.accepted('chat.postMessage')).toHaveLength(2);
  });
});
