import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveChange } from '../../src/live/instrument-view.ts';
import { FIXTURE_DIR, FIXTURE_NAME, INSTRUMENT, itemsOf, postEvents, postHeartbeat, startWorld, type World } from '../server/server-test-kit.ts';
import { projectionRows, sqliteOf } from '../store/store-test-kit.ts';

// Each connectivity state reached through the server's real parts (routes, watcher, store), with
// time moved by hand: heartbeats that stop, a log silent during a run, an unreadable logs folder,
// and a server restart.

const ITEMS = itemsOf([join(FIXTURE_DIR, FIXTURE_NAME)]);

/** Lets `ms` pass in steps of `step`, the watcher ticking, the agent beating unless told otherwise. */
async function pass(world: World, ms: number, options: { beating?: boolean; step?: number } = {}): Promise<void> {
  const step = options.step ?? 2000;
  for (let done = 0; done < ms; done += step) {
    world.clock.advance(Math.min(step, ms - done));
    if (options.beating !== false && (world.clock.ms / 1000) % 10 === 0) await postHeartbeat(world);
    world.ticks.run();
  }
}

const stateOf = (world: World) => world.feed.instrument(INSTRUMENT)!.connectivity.state;
const stored = (world: World) =>
  sqliteOf(world.store)
    .prepare("SELECT occurred_at, data FROM events WHERE type = 'connectivity_changed' AND instrument_id = ? ORDER BY global_position")
    .all(INSTRUMENT)
    .map((row) => {
      const { occurred_at, data } = row as { occurred_at: string; data: string };
      return [occurred_at, (JSON.parse(data) as { state: string }).state];
    });
const alerts = (changes: LiveChange[]) => changes.flatMap((c) => (c.type === 'instrument_changed' ? [] : [[c.type, c.alert.kind, c.alert.raisedAt, c.alert.resolvedAt, c.historic]]));

describe('connectivity, with time injected', () => {
  it('goes online, late, offline when heartbeats stop, and online again when they resume; each change an event', async () => {
    const world = startWorld({ startAt: '2024-05-06T10:00:00.000Z' });
    expect(stateOf(world)).toBe('unknown');
    await postHeartbeat(world);
    expect(stateOf(world)).toBe('online');
    await pass(world, 14_000, { beating: false });
    expect(stateOf(world)).toBe('online');
    await pass(world, 2_000, { beating: false });
    expect(stateOf(world)).toBe('late');
    await pass(world, 24_000, { beating: false });
    expect(stateOf(world)).toBe('late');
    await pass(world, 2_000, { beating: false });
    expect(world.feed.instrument(INSTRUMENT)!.connectivity).toMatchObject({
      state: 'offline',
      since: '2024-05-06T10:00:42.000Z',
      reason: 'no heartbeat for more than 40 s: the PC is off or the agent is not running',
      lastHeartbeatAt: '2024-05-06T10:00:00.000Z',
    });
    await pass(world, 600_000, { beating: false });
    await postHeartbeat(world);
    expect(stateOf(world)).toBe('online');
    expect(stored(world)).toEqual([
      ['2024-05-06T10:00:00.000Z', 'online'],
      ['2024-05-06T10:00:16.000Z', 'late'],
      ['2024-05-06T10:00:42.000Z', 'offline'],
      ['2024-05-06T10:10:42.000Z', 'online'],
    ]);
    expect(alerts(world.changes)).toEqual([
      ['alert_raised', 'agent_offline', '2024-05-06T10:00:42.000Z', null, false],
      ['alert_resolved', 'agent_offline', '2024-05-06T10:00:42.000Z', '2024-05-06T10:10:42.000Z', false],
    ]);
    // Replay rebuilds the connectivity projection as it was kept.
    const kept = projectionRows(sqliteOf(world.store)).instrument_connectivity;
    world.store.replay();
    expect(projectionRows(sqliteOf(world.store)).instrument_connectivity).toEqual(kept);
    world.close();
  });

  it('is software_silent when the log goes quiet during a run, and online once it writes again', async () => {
    const world = startWorld({ startAt: '2020-09-11T12:30:00.000Z' });
    // The log up to the first Startup run's third step; the software then writes nothing.
    const open = ITEMS.findIndex((item) => item.event.type === 'step' && item.event.at > '2020-09-11T12:30:20.000Z');
    world.clock.set('2020-09-11T12:30:30.000Z');
    expect((await postEvents(world.app, ITEMS.slice(0, open))).status).toBe(200);
    await postHeartbeat(world);
    expect(world.feed.instrument(INSTRUMENT)!.status.run?.procedure).toBe('Startup');
    await pass(world, 290_000);
    expect(stateOf(world)).toBe('online');
    await pass(world, 12_000);
    expect(world.feed.instrument(INSTRUMENT)!.connectivity).toMatchObject({ state: 'software_silent', reason: 'the log has been silent for more than 5 min while Startup runs' });
    const raised = world.changes.find((c) => c.type === 'alert_raised');
    expect(raised).toMatchObject({ alert: { kind: 'software_silent', procedure: 'Startup', user: 'jsmith', instrumentId: INSTRUMENT }, historic: false });
    expect(world.feed.openAlerts().map((a) => a.kind)).toEqual(['software_silent']);
    // The software writes again (the agent ships the next lines).
    expect((await postEvents(world.app, ITEMS.slice(open, open + 5))).status).toBe(200);
    expect(stateOf(world)).toBe('online');
    expect(world.changes.filter((c) => c.type === 'alert_resolved')).toMatchObject([{ alert: { kind: 'software_silent' } }]);
    expect(world.feed.openAlerts()).toEqual([]);
    world.close();
  });

  it('is software_silent when the agent sees no Attune process, agent_error when it cannot read the logs folder', async () => {
    const world = startWorld({ startAt: '2024-05-06T10:00:00.000Z' });
    await postHeartbeat(world, { attune_running: false });
    expect(world.feed.instrument(INSTRUMENT)!.connectivity).toMatchObject({ state: 'software_silent', reason: 'the Attune software is not running on the instrument PC' });
    world.clock.advance(10_000);
    await postHeartbeat(world, { logs_dir_readable: false, following: null, last_error: 'logs: cannot read the logs folder D:\\AttuneLogs: no such file or folder' });
    expect(world.feed.instrument(INSTRUMENT)!.connectivity).toMatchObject({
      state: 'agent_error',
      reason: 'the agent cannot read the logs folder (logs: cannot read the logs folder D:\\AttuneLogs: no such file or folder)',
      agent: { logsDirReadable: false, followedFile: null },
    });
    world.clock.advance(10_000);
    await postHeartbeat(world);
    expect(stateOf(world)).toBe('online');
    expect(alerts(world.changes).map(([type, kind]) => `${type} ${kind}`)).toEqual([
      'alert_raised software_silent',
      'alert_resolved software_silent',
      'alert_raised agent_error',
      'alert_resolved agent_error',
    ]);
    world.close();
  });

  it('is agent_error when the agent reports a problem for longer than it takes to heal', async () => {
    const world = startWorld({ startAt: '2024-05-06T10:00:00.000Z' });
    const problem = { last_error: 'state: cannot save checkpoints: EACCES' };
    await postHeartbeat(world, problem);
    for (let i = 0; i < 8; i++) {
      world.clock.advance(10_000);
      await postHeartbeat(world, problem);
      world.ticks.run();
    }
    expect(stateOf(world)).toBe('online');
    world.clock.advance(10_000);
    await postHeartbeat(world, problem);
    expect(world.feed.instrument(INSTRUMENT)!.connectivity).toMatchObject({ state: 'agent_error', reason: 'the agent reports a problem: state: cannot save checkpoints: EACCES' });
    world.close();
  });

  it('after a restart of the server declares nobody offline before a full grace period, and keeps who was offline offline', async () => {
    const first = startWorld({ startAt: '2024-05-06T10:00:00.000Z' });
    await postHeartbeat(first);
    await postHeartbeat(first, { instrument_id: 'nxt-2' }, 'token-of-nxt-2');
    await pass(first, 60_000, { beating: false });
    await postHeartbeat(first);
    expect([stateOf(first), first.feed.instrument('nxt-2')!.connectivity.state]).toEqual(['online', 'offline']);
    const nxt2Changes = (world: World) => sqliteOf(world.store).prepare("SELECT count(*) FROM events WHERE type = 'connectivity_changed' AND instrument_id = 'nxt-2'").pluck().get();
    const before = nxt2Changes(first);
    first.close();

    // The server is down ten minutes; nxt-1's agent keeps trying, nxt-2's PC stays off.
    const second = startWorld({ dbPath: first.dbPath, startAt: '2024-05-06T10:11:00.000Z' });
    const states = () => [stateOf(second), second.feed.instrument('nxt-2')!.connectivity.state];
    expect(states()).toEqual(['late', 'offline']);
    await pass(second, 40_000, { beating: false });
    expect(states()).toEqual(['late', 'offline']);
    await pass(second, 2_000, { beating: false });
    expect(states()).toEqual(['offline', 'offline']);
    // nxt-2 never left offline: no change to store.
    expect(nxt2Changes(second)).toBe(before);
    second.close();
  });
});
