import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events/log-events.ts';
import { instrumentStatus } from '../../src/machines/instrument-status.ts';
import { Monitor, type PersistedMonitor } from '../../src/machines/monitor.ts';
import type { MonitorOutput } from '../../src/machines/monitor-types.ts';
import { eventsOf } from '../support/attune-log.ts';

const NAME = 'System_2020-09-11_12-26-48.log';
const FIXTURE = readFileSync(new URL('../../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url));
const EVENTS: LogEvent[] = eventsOf(NAME, FIXTURE, { ended: true });

function feedAll(monitor: Monitor, events: readonly LogEvent[]): MonitorOutput[] {
  return events.flatMap((event) => monitor.feed(event));
}

function statusAfter(predicate: (event: LogEvent) => boolean) {
  const monitor = new Monitor();
  const stop = EVENTS.findIndex(predicate);
  feedAll(monitor, EVENTS.slice(0, stop + 1));
  return instrumentStatus(monitor);
}

describe('Monitor', () => {
  it('is deterministic: the same events give the same outputs and snapshot', () => {
    const a = new Monitor();
    const b = new Monitor();
    expect(feedAll(a, EVENTS)).toEqual(feedAll(b, EVENTS));
    expect(a.persist()).toEqual(b.persist());
  });

  it('gives the same outputs fed in bulk (folded) as fed one event at a time', () => {
    const single = new Monitor();
    const bulk = new Monitor();
    const one = feedAll(single, EVENTS);
    const folded: MonitorOutput[] = [];
    for (let i = 0; i < EVENTS.length; i += 97) bulk.feedBulk(EVENTS.slice(i, i + 97), folded);
    bulk.flushBulk(folded);
    expect(folded).toEqual(one);
    expect(bulk.context).toEqual(single.context);
    expect(instrumentStatus(bulk)).toEqual(instrumentStatus(single));
  });

  it('restores from a persisted snapshot (through JSON) and carries on exactly as if never stopped', () => {
    const straight = new Monitor();
    const expected = feedAll(straight, EVENTS);
    for (const cut of [1, 150, 600, 900, EVENTS.length - 1]) {
      const first = new Monitor();
      const before = feedAll(first, EVENTS.slice(0, cut));
      const saved = JSON.parse(JSON.stringify(first.persist())) as PersistedMonitor;
      const restored = new Monitor(saved);
      const after = feedAll(restored, EVENTS.slice(cut));
      expect([...before, ...after]).toEqual(expected);
      expect(restored.persist()).toEqual(straight.persist());
    }
  });

  it('keeps instrument facts beside the machine', () => {
    const monitor = new Monitor();
    feedAll(monitor, EVENTS);
    expect(monitor.facts['Instrument_Serial_Number']).toBe('2AFC229870320');
    expect(instrumentStatus(monitor).instrument).toEqual({ serialNumber: '2AFC229870320', model: '4486521' });
  });
});

describe('instrumentStatus', () => {
  it('says the software is not running before any log', () => {
    expect(instrumentStatus(new Monitor())).toMatchObject({ availability: 'free', activity: 'software_off', summary: 'Attune software not running', user: null, run: null });
  });

  it('tells who is on it and what step is running', () => {
    const status = statusAfter((e) => e.type === 'step' && e.at === '2020-09-11T12:31:05.524Z');
    expect(status).toMatchObject({
      availability: 'busy',
      activity: 'running',
      since: '2020-09-11T12:30:07.648Z',
      user: { name: 'jsmith', since: '2020-09-11T12:27:24.997Z' },
      run: { procedure: 'Startup', step: { function: 'Startup', line: 2, since: '2020-09-11T12:31:05.524Z' }, steps: 4, waitingForUser: null },
      summary: 'Running Startup for jsmith (step 2)',
    });
  });

  it('tells when an acquisition waits for the user, and when it goes on', () => {
    const waiting = statusAfter((e) => e.type === 'user_action_required');
    expect(waiting).toMatchObject({ activity: 'acquiring', run: { procedure: 'Acquisition', well: null, waitingForUser: { action: 'Raise tube lifter', since: '2020-09-11T14:22:55.815Z' } } });
    expect(waiting.summary).toBe('Acquiring a tube for jsmith; waiting for the user: Raise tube lifter');
    const going = statusAfter((e) => e.type === 'user_action_completed' && e.at > '2020-09-11T14:22:55.815Z');
    expect(going.run?.waitingForUser).toBeNull();
  });

  it('remembers bubble trouble in the current run and as the last problem', () => {
    const status = statusAfter((e) => e.type === 'bubble_detected');
    expect(status.run).toMatchObject({ bubbles: 1 });
    expect(status.lastProblem).toMatchObject({ kind: 'bubble', at: '2020-09-11T14:31:10.721Z', resolved: false });
    expect(status.openAlerts).toHaveLength(1);
    const after = statusAfter((e) => e.type === 'procedure_done' && e.at === '2020-09-11T14:31:18.922Z');
    expect(after.lastProblem).toMatchObject({ kind: 'bubble', resolved: true });
    expect(after.openAlerts).toEqual([]);
  });

  it('is free once the user logged out, and software-off after the file ended', () => {
    expect(statusAfter((e) => e.type === 'logout')).toMatchObject({ availability: 'free', activity: 'idle', summary: 'Idle, nobody logged in' });
    expect(statusAfter((e) => e.type === 'log_ended')).toMatchObject({ availability: 'free', activity: 'software_off', software: { running: false } });
  });

  it('is JSON-serialisable as it is', () => {
    const status = statusAfter((e) => e.type === 'bubble_detected');
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });
});
