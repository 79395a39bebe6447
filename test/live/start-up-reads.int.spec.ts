import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateFromEvents } from '../../src/estimates/estimate-at.ts';
import type { InstrumentView } from '../../src/live/instrument-view.ts';
import { ServerLiveFeed } from '../../src/live/live-feed.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { FIXTURE_DIR, FIXTURE_NAME, INSTRUMENT, itemsOf, ManualClock, ManualTicks, postEvents, startWorld, tempDir, type World } from '../server/server-test-kit.ts';
import { importPaths, shiftedFixture, sqliteOf } from '../store/store-test-kit.ts';

const ITEMS = itemsOf([join(FIXTURE_DIR, FIXTURE_NAME)]);

/** Tables with a row per instrument, whatever its history: the only ones start-up may read whole. */
const PER_INSTRUMENT = new Set(['instrument_state', 'agent_tokens', 'agent_heartbeats', 'instrument_connectivity']);

/** Posts the fixture's items up to `until` as an agent would, the clock just after each batch. */
async function shipUntil(world: World, until: string): Promise<void> {
  const items = ITEMS.filter((item) => item.event.at <= until);
  for (let i = 0; i < items.length; i += 20) {
    const batch: EventItem[] = items.slice(i, i + 20);
    world.clock.ms = Math.max(world.clock.ms, Date.parse(batch.at(-1)!.event.at) + 500);
    expect((await postEvents(world.app, batch)).status).toBe(200);
  }
}

/** The countdown a replay of every stored event up to `at` gives. */
function replayed(world: World, at: string) {
  return estimateFromEvents([...world.store.logEvents(INSTRUMENT)].filter((event) => event.at <= at), at);
}

/**
 * Every SQL statement (with its values) the server's start-up runs once its store is open: the feed
 * reading every instrument, and the first list of instruments. None may read a table of the history
 * whole: a year of runs or of events is read only through an index.
 */
function startUp(dbPath: string, at: string): { statements: string[]; views: InstrumentView[] } {
  const statements: string[] = [];
  let recording = false;
  const store = EventStore.open(dbPath, { onStatement: (sql) => recording && statements.push(sql) });
  try {
    recording = true;
    const clock = new ManualClock(Date.parse(at));
    const feed = new ServerLiveFeed({ store, clock, config: SERVER_DEFAULTS, serverStartedAt: clock.now(), onError: (error) => { throw error; } });
    feed.start(new ManualTicks().every);
    const views = feed.instruments();
    feed.stop();
    recording = false;
    const plans = new Set(statements.flatMap((sql) => (sqliteOf(store).prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail)));
    const scanned = [...plans].flatMap((detail) => /^SCAN (\w+)/.exec(detail)?.[1] ?? []);
    expect(scanned.filter((table) => !PER_INSTRUMENT.has(table))).toEqual([]);
    return { statements, views };
  } finally {
    store.close();
  }
}

describe("the server's start-up", () => {
  it('reads the history only through indexes, and counts down as a replay of every event does, before and after a restart', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'server.db');
    const history = EventStore.open(dbPath);
    importPaths(history, INSTRUMENT, [shiftedFixture(dir, -3), shiftedFixture(dir, -2), shiftedFixture(dir, -1)]);
    history.close();
    const before = startWorld({ dbPath, startAt: '2020-09-11T12:26:00.000Z' });
    await shipUntil(before, '2020-09-11T14:17:30.000Z');
    before.close();

    // Restarted during a rinse: the latest of the past rinses are read (by index), nothing else of the history.
    const { statements, views } = startUp(dbPath, '2020-09-11T14:17:31.000Z');
    expect(views.find((view) => view.id === INSTRUMENT)?.estimate?.estimatedEnd).toBeTruthy();
    expect(statements.filter((sql) => /\bFROM event_stream\b/.test(sql) && !/WHERE file_id = \(SELECT max\(file_id\)/.test(sql))).toEqual([]);
    const groupReads = statements.filter((sql) => /r\.procedure = /.test(sql));
    expect(groupReads).toEqual([expect.stringMatching(/^SELECT count\(\*\) .*r\.procedure = 'Rinse'/s), expect.stringMatching(/r\.procedure = 'Rinse'.* LIMIT [\d.]+$/s)]);

    const after = startWorld({ dbPath, startAt: '2020-09-11T14:17:31.000Z' });
    // The rinse's group was read at start, and takes the rinses that close from now on; the
    // acquisitions' group is read after one of them closed.
    for (const at of ['2020-09-11T14:17:31.000Z', '2020-09-11T14:23:50.000Z', '2020-09-11T14:30:30.000Z', '2020-09-11T14:50:35.000Z']) {
      await shipUntil(after, at);
      after.clock.set(at);
      const expected = replayed(after, at);
      expect(expected?.estimatedEnd).toBeTruthy();
      expect(after.feed.instrument(INSTRUMENT)!.estimate).toEqual(expected);
    }
    after.close();
  });

  it('reads no run at all when none is open', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'server.db');
    const history = EventStore.open(dbPath);
    importPaths(history, INSTRUMENT, [shiftedFixture(dir, -2), shiftedFixture(dir, -1)]);
    history.close();
    const { statements, views } = startUp(dbPath, '2020-09-11T12:00:00.000Z');
    expect(views.map((view) => [view.id, view.status.run, view.estimate])).toEqual([[INSTRUMENT, null, null]]);
    expect(statements.filter((sql) => /\b(procedure_runs|run_steps)\b/.test(sql))).toEqual([]);
  });
});
