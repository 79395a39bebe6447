import { appendFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendDurably } from '../../src/agent/durable-fs.ts';
import { attuneLine, FIXTURE_NAME, FIXTURE_URL, localTime, LogFileWriter, logFileName, repeatedFixture, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { TEST_INSTRUMENT } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

const fixture = readFileSync(FIXTURE_URL);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('agent when the server or the disk is in trouble', () => {
  let world: AgentScenario;

  beforeEach(async () => {
    world = await AgentScenario.create('outage', { 'token-nxt-1': 'nxt-1', 'token-nxt-2': 'nxt-2' });
  });

  afterEach(() => world.dispose());

  const eventsRequests = (status?: number) => world.server.requests.filter((r) => r.path === '/api/v1/events' && (status === undefined || r.status === status));

  it('keeps reading into the outbox while the server is down, and delivers everything once it is back', async () => {
    const writer = new LogFileWriter(world.logsDir, FIXTURE_NAME);
    writer.append(fixture.subarray(0, 40_000));
    await world.start();
    await world.expectDelivered();

    await world.server.stop();
    writer.append(fixture.subarray(40_000));
    const launch = localTime('2020-09-12T08:00:00');
    new LogFileWriter(world.logsDir, logFileName(launch)).appendLines(sessionLines(launch, seededRandom(1)).lines);
    await waitFor('events waiting in the outbox', async () => (await world.agent.agent.snapshot()).outboxDepth > 0);
    await waitFor('the server problem reported', async () => /server: cannot deliver events: ECONNREFUSED/.test((await world.agent.agent.snapshot()).lastError ?? ''));
    await sleep(300);

    await world.server.restart();
    await world.expectDelivered();
    await waitFor('a heartbeat with an empty outbox and no error', () => {
      const last = world.server.heartbeats.at(-1);
      return last?.outbox_depth === 0 && last.last_error === null;
    });
  });

  it('backs off while the server answers 5xx and stores nothing, then delivers', async () => {
    world.server.failEventsWith = 503;
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(fixture);
    await world.start();
    await waitFor('a first 503', () => eventsRequests(503).length > 0);
    const firstFailure = Date.now();
    await sleep(1000);
    const failures = eventsRequests(503).length;
    const elapsed = Date.now() - firstFailure;
    // Backoff 20 ms doubling to a 200 ms cap (half of it at least): a few tries, not hundreds.
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(elapsed / 100 + 5);
    expect(world.stored().size).toBe(0);
    expect(world.agent.logs.filter((l) => l.msg.includes('cannot deliver events')).length).toBe(1);

    world.server.failEventsWith = null;
    await world.expectDelivered();
  });

  it('pauses reading when the outbox is full, says so, and resumes once the server takes events', async () => {
    world.server.failEventsWith = 503;
    const writer = new LogFileWriter(world.logsDir, FIXTURE_NAME);
    writer.append(fixture);
    const limit = 8 * 1024;
    await world.start({ outboxMaxBytes: limit });
    await waitFor('the outbox full', async () => /outbox full/.test((await world.agent.agent.snapshot()).lastError ?? ''));
    await sleep(200);
    const snapshot = await world.agent.agent.snapshot();
    // Reading stopped short of the end, and the outbox went over its bound by one chunk's events at most.
    expect(snapshot.following?.offset).toBeLessThan(fixture.length);
    expect(snapshot.outboxBytes).toBeGreaterThanOrEqual(limit);
    expect(snapshot.outboxBytes).toBeLessThan(limit + 3 * 16 * 1024);
    await waitFor('a heartbeat reporting it', () => /outbox full/.test(world.server.heartbeats.at(-1)?.last_error ?? ''));
    expect(world.server.heartbeats.at(-1)?.outbox_bytes).toBe(snapshot.outboxBytes);

    world.server.failEventsWith = null;
    await world.expectDelivered();
    await waitFor('the outbox problem cleared', async () => (await world.agent.agent.snapshot()).lastError === null);
  });

  it.each([
    ['a wrong token', 'not-a-token', 401],
    ['the token of another instrument', 'token-nxt-2', 403],
  ])('reports %s loudly, does not spin, and keeps the events for a fixed agent', async (_what, token, status) => {
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(fixture);
    await world.start({ token, rejectedRetryMs: 400 });
    await waitFor(`a first ${status}`, () => eventsRequests(status).length > 0);
    await sleep(1000);
    expect(eventsRequests(status).length).toBeLessThanOrEqual(4);
    expect(world.stored().size).toBe(0);
    expect(world.server.heartbeats).toEqual([]);
    const errors = world.agent.logs.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(errors).toContain('the server rejects events: check --server, --instrument and --token; they are kept in the outbox');
    expect(errors).toContain('the server rejects heartbeats: check --server, --instrument and --token');
    const snapshot = await world.agent.agent.snapshot();
    expect(snapshot.lastError).toMatch(new RegExp(`server: the server rejects events: HTTP ${status}`));
    expect(snapshot.outboxDepth).toBeGreaterThan(0);

    await world.start({ token: 'token-nxt-1' });
    await world.expectDelivered();
    expect(world.server.store('nxt-2').size).toBe(0);
  });

  it('sends smaller batches when the server (or a proxy) says 413', async () => {
    world.server.failEventsWith = 503;
    const name = logFileName(localTime('2020-09-12T08:00:00'));
    const writer = new LogFileWriter(world.logsDir, name);
    await world.start();
    // One line per poll: the outbox fills with many small records while the server is down.
    const { lines } = sessionLines(localTime('2020-09-12T08:00:00'), seededRandom(2));
    for (const line of lines) {
      writer.appendLines([line]);
      await sleep(40);
    }
    await waitFor('every line read', async () => (await world.agent.agent.snapshot()).following?.offset === readFileSync(writer.path).length);
    world.server.eventsBodyLimit = 2000;
    world.server.failEventsWith = null;
    await world.expectDelivered();
    expect(eventsRequests(413).length).toBeGreaterThan(0);
    expect(world.agent.logs.some((l) => l.msg.includes('sending smaller batches'))).toBe(true);
  });

  it('loses nothing when the disk is full: nothing advances, the problem is reported, reading resumes when there is room', async () => {
    let diskFull = true;
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(fixture);
    await world.start(
      {},
      {
        appendDurably: async (path, data) => {
          if (!diskFull) return appendDurably(path, data);
          appendFileSync(path, data.slice(0, 100));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    );
    await waitFor('the full disk reported in a heartbeat', () => /outbox: cannot write the outbox: no space left on the device/.test(world.server.heartbeats.at(-1)?.last_error ?? ''));
    await sleep(200);
    const snapshot = await world.agent.agent.snapshot();
    expect(snapshot.following).toEqual({ file: FIXTURE_NAME, size: fixture.length, offset: 0 });
    expect(snapshot.outboxDepth).toBe(0);
    expect(world.stored().size).toBe(0);
    expect(world.agent.logs.filter((l) => l.msg.startsWith('cannot write the outbox')).length).toBe(1);

    diskFull = false;
    await world.expectDelivered();
  });

  it('keeps heartbeats on time through a long catch-up and a slow server', async () => {
    world.server.eventsDelayMs = 1500;
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(repeatedFixture(8));
    await world.start({ heartbeatMs: 100 });
    await waitFor('a slow batch under way', () => world.server.heartbeats.length > 0);
    const from = world.server.heartbeats.length;
    await sleep(1500);
    const beats = world.server.heartbeats.slice(from);
    // 100 ms apart; allow for two cores shared with other work.
    expect(beats.length).toBeGreaterThanOrEqual(8);
    const gaps = beats.slice(1).map((b, i) => Date.parse(b.sent_at) - Date.parse(beats[i]!.sent_at));
    expect(Math.max(...gaps)).toBeLessThan(400);
    expect(beats.at(-1)!.outbox_depth).toBeGreaterThan(0);
    expect(beats.at(-1)!.instrument_id).toBe(TEST_INSTRUMENT);

    world.server.eventsDelayMs = 0;
    await world.expectDelivered(false, 20_000);
  });

  it('never sends a line before it is complete', async () => {
    const name = logFileName(localTime('2020-09-12T08:00:00'));
    const writer = new LogFileWriter(world.logsDir, name);
    await world.start();
    const line = attuneLine({ at: localTime('2020-09-12T08:00:01'), message: 'Event:Starting_Rinse', user: 'jsmith' });
    writer.append(line.slice(0, 40));
    await sleep(200);
    expect(world.stored().size).toBe(0);
    writer.append(`${line.slice(40)}\r\n`);
    await world.expectDelivered();
    expect([...world.stored().values()].map((s) => s.event.type)).toEqual(['log_opened', 'procedure_started']);
  });
});
