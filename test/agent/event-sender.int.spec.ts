import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHealth } from '../../src/agent/agent-health.ts';
import { backoffDelay } from '../../src/agent/backoff.ts';
import { EventSender } from '../../src/agent/event-sender.ts';
import { IngestClient } from '../../src/agent/ingest-client.ts';
import { Outbox } from '../../src/agent/outbox.ts';
import { Wakeup } from '../../src/agent/timing.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { FakeIngestServer } from '../support/fake-ingest-server.ts';
import { tempDir, TEST_INSTRUMENT, TEST_TOKEN } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

const item = (offset: number): EventItem => ({
  event: { type: 'fcs_file_saved', at: '2020-09-11T10:26:48.728Z', source: { file: 'System_2020-09-11_12-26-48.log', offset, index: 0, line: offset } },
  raw: `line ${offset}`,
});

describe('event sender against a real HTTP server', () => {
  let dir: { path: string; cleanup: () => void };
  let server: FakeIngestServer;
  const abort = new AbortController();

  beforeEach(async () => {
    dir = tempDir('sender');
    server = await FakeIngestServer.start({ tokens: { [TEST_TOKEN]: TEST_INSTRUMENT } });
  });

  afterEach(async () => {
    abort.abort();
    await server.stop();
    dir.cleanup();
  });

  it('retries with capped, jittered exponential waits (time and chance injected) and forgets a batch only once stored', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append([item(1), item(2), item(3)]);
    server.failEventsWith = 503;
    const waits: number[] = [];
    const backoff = { baseMs: 1000, maxMs: 8000 };
    const sender = new EventSender({
      outbox,
      client: new IngestClient({ serverUrl: `${server.url}/`, token: TEST_TOKEN, instrumentId: TEST_INSTRUMENT }),
      health: new AgentHealth(),
      log: pino({ level: 'silent' }),
      backoff,
      random: () => 0.5,
      // No real waiting: each wait is recorded, and after the sixth the server recovers.
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 6) server.failEventsWith = null;
      },
      requestTimeoutMs: 2000,
      rejectedRetryMs: 60_000,
      wakeup: new Wakeup(),
    });
    const running = sender.run(abort.signal);
    await waitFor('the events stored', () => outbox.depth === 0);
    abort.abort();
    await running;
    expect(waits).toEqual([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, backoff, () => 0.5)));
    expect(waits).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
    expect(server.store(TEST_INSTRUMENT).size).toBe(3);
    expect(server.requests.filter((r) => r.status === 503)).toHaveLength(6);
  });
});
