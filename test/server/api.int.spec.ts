import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { apiErrorSchema } from '../../src/protocol/api-errors.ts';
import { EVENTS_PATH, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import { eventsResponseSchema, MAX_EVENTS_BODY_BYTES } from '../../src/protocol/events-api.ts';
import { heartbeatResponseSchema, MAX_HEARTBEAT_BODY_BYTES } from '../../src/protocol/heartbeat-api.ts';
import { apiInstrumentSchema, healthResponseSchema, instrumentsResponseSchema, runsResponseSchema } from '../../src/server/api-schemas.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { importLogFiles } from '../../src/store/import-log-files.ts';
import { eventRows, projectionRows, sqliteOf } from '../store/store-test-kit.ts';
import {
  FIXTURE_DIR,
  FIXTURE_NAME,
  heartbeat,
  INSTRUMENT,
  itemsOf,
  OTHER,
  OTHER_TOKEN,
  postEvents,
  postHeartbeat,
  postJson,
  shipInBatches,
  startWorld,
  storedCounts,
  tempDir,
  TOKEN,
} from './server-test-kit.ts';

const FIXTURE = join(FIXTURE_DIR, FIXTURE_NAME);

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  const body = apiErrorSchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe('POST /api/v1/events', () => {
  it('appends batches idempotently and names the highest source stored: the rows of an import of the same file', async () => {
    const world = startWorld();
    const items = itemsOf([FIXTURE]);
    const answers = (await shipInBatches(world.app, items, 250)).map((answer) => eventsResponseSchema.parse(answer));
    expect(answers.reduce((sum, a) => sum + a.appended, 0)).toBe(1083);
    const last = items.at(-1)!.event.source;
    expect(answers.at(-1)).toEqual({ appended: 83, duplicates: 0, highest_source: { file: FIXTURE_NAME, offset: last.offset, index: last.index } });

    // Sent again (an agent that crashed before its checkpoint): all duplicates, nothing changes.
    const before = { events: eventRows(sqliteOf(world.store)), projections: projectionRows(sqliteOf(world.store)) };
    const again = eventsResponseSchema.parse(await (await postEvents(world.app, items.slice(100, 300))).json());
    expect(again).toEqual({ appended: 0, duplicates: 200, highest_source: answers.at(-1)!.highest_source });
    expect({ events: eventRows(sqliteOf(world.store)), projections: projectionRows(sqliteOf(world.store)) }).toEqual(before);

    const reference = EventStore.open(join(tempDir(), 'import.db'));
    importLogFiles(reference, INSTRUMENT, listLogFiles([FIXTURE]), { toUtc: localToUtcConverter('UTC') });
    expect(eventRows(sqliteOf(world.store))).toEqual(eventRows(sqliteOf(reference)));
    const { instrument_connectivity: _c, ...projections } = projectionRows(sqliteOf(world.store));
    const { instrument_connectivity: _r, ...expected } = projectionRows(sqliteOf(reference));
    expect(projections).toEqual(expected);
    reference.close();
    world.close();
  });

  it('stores nothing and says why for every request it refuses', async () => {
    const world = startWorld();
    const items = itemsOf([FIXTURE]).slice(0, 20);
    const nothing = storedCounts(world.store);
    const cases: Array<[string, () => Response | Promise<Response>, number, string]> = [
      ['no token', () => postEvents(world.app, items, INSTRUMENT, null), 401, 'unauthorized'],
      ['a wrong token', () => postEvents(world.app, items, INSTRUMENT, 'not-a-token'), 401, 'unauthorized'],
      ['not a bearer token', () => postJson(world.app, EVENTS_PATH, { instrument_id: INSTRUMENT, events: items }, null, { authorization: `Basic ${TOKEN}` }), 401, 'unauthorized'],
      ["another instrument's token", () => postEvents(world.app, items, INSTRUMENT, OTHER_TOKEN), 403, 'forbidden'],
      ['not JSON', () => postJson(world.app, EVENTS_PATH, '{"instrument_id": "nxt-1", "events": [', TOKEN), 400, 'bad_request'],
      ['no events', () => postEvents(world.app, []), 400, 'bad_request'],
      ['an invalid event among valid ones', () => postEvents(world.app, [...items, { event: { ...items[3]!.event, at: 'yesterday' }, raw: null }]), 400, 'bad_request'],
      ['an unknown field', () => postJson(world.app, EVENTS_PATH, { instrument_id: INSTRUMENT, events: items, extra: 1 }), 400, 'bad_request'],
      ['a bad instrument id', () => postEvents(world.app, items, '../etc'), 400, 'bad_request'],
      ['a body over the limit', () => postJson(world.app, EVENTS_PATH, `{"instrument_id":"nxt-1","events":[],"pad":"${'x'.repeat(MAX_EVENTS_BODY_BYTES)}"}`), 413, 'payload_too_large'],
    ];
    for (const [what, request, status, code] of cases) {
      const message = await expectError(await request(), status, code);
      expect(storedCounts(world.store), what).toEqual(nothing);
      expect(message.length, what).toBeGreaterThan(10);
    }
    // A revoked token stops working at once.
    expect((await postEvents(world.app, items)).status).toBe(200);
    world.tokens.revoke(INSTRUMENT);
    const stored = storedCounts(world.store);
    await expectError(await postEvents(world.app, itemsOf([FIXTURE]).slice(20, 40)), 401, 'unauthorized');
    expect(storedCounts(world.store)).toEqual(stored);
    world.close();
  });

  it('answers the 401 with a Bearer challenge and says what is wrong in the error shape', async () => {
    const world = startWorld();
    const response = await postEvents(world.app, itemsOf([FIXTURE]).slice(0, 2), INSTRUMENT, null);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'an agent token is required: Authorization: Bearer <token>' } });
    world.close();
  });

  it('a body streamed without a length is cut off at the limit (413), nothing stored', async () => {
    const world = startWorld();
    const nothing = storedCounts(world.store);
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await world.app.request(EVENTS_PATH, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body, duplex: 'half' } as RequestInit);
    await expectError(response, 413, 'payload_too_large');
    expect(storedCounts(world.store)).toEqual(nothing);
    world.close();
  });

  it('a database busy with another writer: 503 (the agent retries), nothing stored', async () => {
    const world = startWorld();
    const nothing = storedCounts(world.store);
    const other = new Database(world.dbPath);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const response = await postEvents(world.app, itemsOf([FIXTURE]).slice(0, 20));
      await expectError(response, 503, 'unavailable');
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(storedCounts(world.store)).toEqual(nothing);
    expect((await postEvents(world.app, itemsOf([FIXTURE]).slice(0, 20))).status).toBe(200);
    world.close();
  });

  it('a heartbeat that meets a busy database: 503, nothing kept', async () => {
    const world = startWorld();
    const other = new Database(world.dbPath);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      await expectError(await postHeartbeat(world), 503, 'unavailable');
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(world.feed.instrument(INSTRUMENT)!.connectivity.lastHeartbeatAt).toBeNull();
    expect((await postHeartbeat(world)).status).toBe(200);
    world.close();
  });
});

describe('POST /api/v1/heartbeat', () => {
  it('keeps the latest heartbeat and shows it in the instrument', async () => {
    const world = startWorld();
    const response = await postHeartbeat(world, { outbox_depth: 3 });
    expect(response.status).toBe(200);
    expect(heartbeatResponseSchema.parse(await response.json())).toEqual({ ok: true, server_time: '2020-09-11T12:00:00.000Z' });
    world.clock.advance(10_000);
    await postHeartbeat(world, { outbox_depth: 0, following: { file: FIXTURE_NAME, size: 5000, offset: 4000 } });
    expect(sqliteOf(world.store).prepare('SELECT instrument_id, received_at FROM agent_heartbeats').all()).toEqual([{ instrument_id: INSTRUMENT, received_at: '2020-09-11T12:00:10.000Z' }]);
    const view = apiInstrumentSchema.parse(await (await world.app.request(`/api/v1/instruments/${INSTRUMENT}`)).json());
    expect(view.last_heartbeat_at).toBe('2020-09-11T12:00:10.000Z');
    expect(view.connectivity).toMatchObject({ state: 'online', since: '2020-09-11T12:00:00.000Z', lastHeartbeatAt: '2020-09-11T12:00:10.000Z' });
    expect(view.connectivity.agent).toEqual({
      version: '0.1.0',
      hostName: 'ATTUNE-PC',
      attuneRunning: true,
      logsDirReadable: true,
      followedFile: FIXTURE_NAME,
      bytesBehind: 1000,
      outboxDepth: 0,
      lastError: null,
      lastLineAt: null,
    });
    world.close();
  });

  it('stores nothing for a refused heartbeat', async () => {
    const world = startWorld();
    const nothing = storedCounts(world.store);
    const cases: Array<[string, () => Response | Promise<Response>, number, string]> = [
      ['no token', () => postHeartbeat(world, {}, null), 401, 'unauthorized'],
      ['a wrong token', () => postHeartbeat(world, {}, 'nope'), 401, 'unauthorized'],
      ["another instrument's token", () => postHeartbeat(world, {}, OTHER_TOKEN), 403, 'forbidden'],
      ['for another instrument', () => postHeartbeat(world, { instrument_id: OTHER }), 403, 'forbidden'],
      ['not JSON', () => postJson(world.app, HEARTBEAT_PATH, 'ok'), 400, 'bad_request'],
      ['a missing field', () => postJson(world.app, HEARTBEAT_PATH, { ...heartbeat(world.clock), uptime_s: undefined }), 400, 'bad_request'],
      ['too large', () => postJson(world.app, HEARTBEAT_PATH, { ...heartbeat(world.clock), last_error: 'x'.repeat(MAX_HEARTBEAT_BODY_BYTES) }), 413, 'payload_too_large'],
    ];
    for (const [what, request, status, code] of cases) {
      await expectError(await request(), status, code);
      expect(storedCounts(world.store), what).toEqual(nothing);
    }
    world.close();
  });
});

describe('reading instruments', () => {
  it('lists every instrument known by its events, token or heartbeat, each as its live view', async () => {
    const world = startWorld({ startAt: '2020-09-11T15:00:00.000Z' });
    await shipInBatches(world.app, itemsOf([FIXTURE]));
    await postHeartbeat(world);
    const list = instrumentsResponseSchema.parse(await (await world.app.request('/api/v1/instruments')).json());
    expect(list.instruments.map((i) => [i.id, i.connectivity.state, i.status.availability])).toEqual([
      [INSTRUMENT, 'online', 'free'],
      [OTHER, 'unknown', 'free'],
    ]);
    const one = apiInstrumentSchema.parse(await (await world.app.request(`/api/v1/instruments/${INSTRUMENT}`)).json());
    expect(one).toEqual(list.instruments[0]);
    expect(one.status.instrument.serialNumber).toBe('2AFC229870320');
    expect(one.status.lastRun).toMatchObject({ procedure: 'Acquisition', outcome: 'completed' });
    await expectError(await world.app.request('/api/v1/instruments/nxt-9'), 404, 'not_found');
    await expectError(await world.app.request('/api/v1/instruments/..%2Fetc'), 404, 'not_found');
    world.close();
  });

  it("gives an instrument's runs newest first, from a time and up to a count", async () => {
    const world = startWorld({ startAt: '2020-09-11T15:00:00.000Z' });
    await shipInBatches(world.app, itemsOf([FIXTURE]));
    const all = runsResponseSchema.parse(await (await world.app.request(`/api/v1/instruments/${INSTRUMENT}/runs?limit=1000`)).json()).runs;
    expect(all).toHaveLength(35);
    expect(all.map((r) => r.startedAt)).toEqual([...all.map((r) => r.startedAt)].sort().reverse());
    const since = runsResponseSchema.parse(await (await world.app.request(`/api/v1/instruments/${INSTRUMENT}/runs?since=2020-09-11T16:30:00%2B02:00&limit=3`)).json()).runs;
    expect(since).toEqual(all.filter((r) => r.startedAt >= '2020-09-11T14:30:00.000Z').slice(0, 3));
    expect(runsResponseSchema.parse(await (await world.app.request(`/api/v1/instruments/${OTHER}/runs`)).json()).runs).toEqual([]);
    await expectError(await world.app.request(`/api/v1/instruments/${INSTRUMENT}/runs?limit=0`), 400, 'bad_request');
    await expectError(await world.app.request(`/api/v1/instruments/${INSTRUMENT}/runs?since=soon`), 400, 'bad_request');
    await expectError(await world.app.request('/api/v1/instruments/nxt-9/runs'), 404, 'not_found');
    world.close();
  });

  it('answers health, and a 404 in the error shape for anything else', async () => {
    const world = startWorld();
    const health = healthResponseSchema.parse(await (await world.app.request('/healthz')).json());
    expect(health).toEqual({ ok: true, server_time: '2020-09-11T12:00:00.000Z', started_at: '2020-09-11T12:00:00.000Z' });
    await expectError(await world.app.request('/nowhere'), 404, 'not_found');
    await expectError(await world.app.request(EVENTS_PATH), 404, 'not_found');
    world.close();
  });
});
