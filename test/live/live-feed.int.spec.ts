import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateFromEvents } from '../../src/estimates/estimate-at.ts';
import type { LiveChange } from '../../src/live/instrument-view.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { FIXTURE_DIR, FIXTURE_NAME, INSTRUMENT, itemsOf, postEvents, startWorld, tempDir, type World } from '../server/server-test-kit.ts';
import { importPaths, shiftedFixture, sqliteOf } from '../store/store-test-kit.ts';

const FIXTURE = join(FIXTURE_DIR, FIXTURE_NAME);
const ITEMS = itemsOf([FIXTURE]);

/** Ships items in small batches as an agent following the log would, the clock just after each batch's last line. */
async function shipLive(world: World, items: readonly EventItem[], until?: string, batchSize = 10): Promise<number> {
  let i = 0;
  while (i < items.length) {
    const batch: EventItem[] = [];
    while (i < items.length && batch.length < batchSize && (until === undefined || items[i]!.event.at <= until)) batch.push(items[i++]!);
    if (batch.length === 0) break;
    world.clock.ms = Math.max(world.clock.ms, Date.parse(batch.at(-1)!.event.at) + 500);
    const response = await postEvents(world.app, batch);
    expect(response.status).toBe(200);
  }
  return i;
}

type AlertChange = Extract<LiveChange, { alert: unknown }>;
const alertChanges = (changes: LiveChange[]) => changes.filter((c): c is AlertChange => c.type !== 'instrument_changed');

describe('the live feed', () => {
  it("announces the log's alerts as they happen (not historic), with the ids of the alerts table", async () => {
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    await shipLive(world, ITEMS);
    const alerts = alertChanges(world.changes);
    expect(alerts.map((c) => [c.type, [c.alert.kind, c.historic]])).toEqual([
      ['alert_raised', ['bubble', false]],
      ['alert_resolved', ['bubble', false]],
    ]);
    const [raised, resolved] = alerts;
    expect(raised!.alert).toEqual({
      id: `${INSTRUMENT}/bubble:${FIXTURE_NAME}@89141`,
      instrumentId: INSTRUMENT,
      kind: 'bubble',
      raisedAt: '2020-09-11T14:31:10.721Z',
      resolvedAt: null,
      message: 'Bubble detected during Acquisition (tube) by jsmith',
      procedure: 'Acquisition',
      well: null,
      user: 'jsmith',
    });
    expect(resolved!.alert).toEqual({ ...raised!.alert, resolvedAt: '2020-09-11T14:31:18.922Z' });
    expect(sqliteOf(world.store).prepare('SELECT alert_id, resolved_at FROM alerts').all()).toEqual([{ alert_id: raised!.alert.id, resolved_at: '2020-09-11T14:31:18.922Z' }]);
    expect(world.feed.openAlerts()).toEqual([]);
    // The view was announced as the log moved: every run's start and end, at least.
    const views = world.changes.flatMap((c) => (c.type === 'instrument_changed' ? [c.view] : []));
    expect(views.filter((v) => v.status.run !== null).length).toBeGreaterThan(35);
    expect(views.at(-1)!.status).toEqual(world.store.instrumentStatus(INSTRUMENT));
    expect(world.errors).toEqual([]);
    world.close();
  });

  it('marks alerts historic when their events were already old on arrival (an import, a long catch-up)', async () => {
    const world = startWorld({ startAt: '2024-01-01T00:00:00.000Z' });
    await shipLive(world, ITEMS);
    expect(alertChanges(world.changes).map((c) => [c.type, c.historic])).toEqual([
      ['alert_raised', true],
      ['alert_resolved', true],
    ]);
    world.close();
  });

  it("counts down the open run exactly as the estimator does from the instrument's events", async () => {
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    const at = '2020-09-11T14:17:30.000Z';
    await shipLive(world, ITEMS, at);
    world.clock.set(at);
    const view = world.feed.instrument(INSTRUMENT)!;
    expect(view.status.run?.procedure).toBe('Rinse');
    const expected = estimateFromEvents(
      ITEMS.map((item) => item.event).filter((event) => event.at <= at),
      at,
    );
    expect(expected?.estimatedEnd).not.toBeNull();
    expect(view.estimate).toEqual(expected);
    // While the log is live the countdown is told for now; long after, for the last line.
    world.clock.set('2020-09-11T15:30:00.000Z');
    expect(world.feed.instrument(INSTRUMENT)!.estimate).toEqual(estimateFromEvents(ITEMS.map((item) => item.event).filter((event) => event.at <= at), view.status.asOf!));
    world.close();
  });

  it('announces a run interrupted by a relaunch, raised and settled by the same batch', async () => {
    const dir = tempDir();
    const bytes = readFileSync(FIXTURE);
    const cut = join(dir, FIXTURE_NAME);
    writeFileSync(cut, bytes.subarray(0, bytes.indexOf('\n', bytes.indexOf('14:07:30')) + 1));
    const relaunch = join(dir, 'System_2020-09-11_14-10-00.log');
    writeFileSync(relaunch, '2020-09-11 14:10:00.100,Info,,Application,Application started,1\n');
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    await shipLive(world, itemsOf([cut, relaunch]));
    expect(alertChanges(world.changes)).toMatchObject([
      { type: 'alert_raised', alert: { kind: 'procedure_interrupted', procedure: 'Rinse', user: 'jsmith', resolvedAt: null }, historic: false },
      { type: 'alert_resolved', alert: { kind: 'procedure_interrupted', resolvedAt: '2020-09-11T14:10:00.000Z' }, historic: false },
    ]);
    expect(world.feed.openAlerts()).toEqual([]);
    world.close();
  });

  it("keeps a failed run's alert open across a restart, without announcing it again", async () => {
    const dir = tempDir();
    const text = readFileSync(FIXTURE, 'utf8');
    const failedAt = text.indexOf('2020-09-11 14:08:28.360');
    const failed = join(dir, FIXTURE_NAME);
    writeFileSync(failed, text.slice(0, text.indexOf('\n', failedAt) + 1).replace(/Event:Rinse_Done~0(,\d+)\n$/, 'Event:Rinse_Done~E_CLOG$1\n'));
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    await shipLive(world, itemsOf([failed]));
    expect(alertChanges(world.changes)).toMatchObject([{ type: 'alert_raised', alert: { kind: 'procedure_failed', procedure: 'Rinse' }, historic: false }]);
    const open = world.feed.openAlerts();
    expect(open).toHaveLength(1);
    world.close();

    const again = startWorld({ dbPath: world.dbPath, startAt: '2020-09-11T14:20:00.000Z' });
    expect(again.feed.openAlerts()).toEqual(open);
    expect(again.changes).toEqual([]);
    again.close();
  });

  it('follows a rebuild (an older file arriving after a newer one): the same views as a server started afresh', async () => {
    const dir = tempDir();
    const newer = shiftedFixture(dir, 1);
    const older = join(dir, FIXTURE_NAME);
    copyFileSync(FIXTURE, older);
    const world = startWorld({ startAt: '2020-09-13T00:00:00.000Z' });
    await shipLive(world, itemsOf([newer]));
    // Every batch of the older file makes the store rebuild the instrument: a few large ones.
    await shipLive(world, itemsOf([older]), undefined, 400);
    expect(world.errors).toEqual([]);
    const live = world.feed.instruments();
    world.close();
    const fresh = startWorld({ dbPath: world.dbPath, startAt: '2020-09-13T00:00:00.000Z' });
    expect(fresh.feed.instruments()).toEqual(live);
    fresh.close();
  });

  it('notices what another process wrote into the database at its next tick', () => {
    const world = startWorld({ startAt: '2024-01-01T00:00:00.000Z' });
    const other = EventStore.open(world.dbPath);
    importPaths(other, INSTRUMENT, [FIXTURE]);
    other.close();
    expect(world.changes).toEqual([]);
    world.ticks.run();
    const changed = world.changes.filter((c) => c.type === 'instrument_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ view: { id: INSTRUMENT, status: { lastRun: { procedure: 'Acquisition' } } } });
    world.close();
  });

  it('notices another writer at its next append, before any tick: the countdown still sees every event', async () => {
    const at = '2020-09-11T14:17:30.000Z';
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    await shipLive(world, ITEMS, '2020-09-11T13:00:00.000Z');
    // Another process stores the log up to 14:17:04 (an import into the live database).
    const cut = join(tempDir(), FIXTURE_NAME);
    const bytes = readFileSync(FIXTURE);
    writeFileSync(cut, bytes.subarray(0, bytes.indexOf('\n', bytes.indexOf('2020-09-11 14:17:04')) + 1));
    const other = EventStore.open(world.dbPath);
    importPaths(other, INSTRUMENT, [cut]);
    other.close();
    await shipLive(world, ITEMS.filter((item) => item.event.at > '2020-09-11T14:17:00.000Z'), at);
    world.clock.set(at);
    const expected = estimateFromEvents(
      ITEMS.map((item) => item.event).filter((event) => event.at <= at),
      at,
    );
    expect(expected?.estimatedEnd).not.toBeNull();
    expect(world.feed.instrument(INSTRUMENT)!.estimate).toEqual(expected);
    world.close();
  });

  it('keeps going when a listener throws: the others hear every change and the events are stored', async () => {
    const world = startWorld({ startAt: '2020-09-11T12:26:00.000Z' });
    world.feed.subscribe(() => {
      throw new Error('a broken listener');
    });
    const heard: LiveChange[] = [];
    const unsubscribe = world.feed.subscribe((change) => heard.push(change));
    await shipLive(world, ITEMS.slice(0, 200));
    expect(heard.length).toBeGreaterThan(0);
    expect(world.errors.length).toBe(heard.length);
    unsubscribe();
    await shipLive(world, ITEMS.slice(200, 400));
    expect(heard.length).toBeLessThan(world.changes.length);
    expect(sqliteOf(world.store).prepare('SELECT count(*) FROM events').pluck().get()).toBe(400);
    world.close();
  });
});
