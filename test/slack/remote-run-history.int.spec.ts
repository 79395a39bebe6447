import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { startServer } from '../../src/server/start-server.ts';
import { RemoteRunHistory } from '../../src/slack/remote/remote-run-history.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { readAccessFor } from '../../src/web/read-access.ts';
import { webPlugin } from '../../src/web/web-plugin.ts';
import { eventsOf } from '../support/attune-log.ts';
import { TestLiveFeed } from '../support/test-live-feed.ts';

// A bot elsewhere shows today's runs as the server's runs API gives them: read through the same
// answer the API documents, not a shape of its own.

const LOG = 'System_2020-09-11_12-26-48.log';
const FIXTURE = fileURLToPath(new URL(`../../fixtures/attune/${LOG}`, import.meta.url));
const AT = '2020-09-11T23:00:00.000Z';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('today’s runs from a server elsewhere', () => {
  it('are the runs the server stored, oldest first, read with its read token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-remote-runs-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const now = () => new Date(AT);
    const dbPath = join(dir, 'store.db');
    const store = EventStore.open(dbPath, { now });
    cleanups.push(() => store.close());
    const feed = new TestLiveFeed(store, now);
    feed.append('attune-1', eventsOf(LOG, readFileSync(FIXTURE), { zone: 'UTC' }));
    const readToken = 'read-token-0123456789';
    const access = readAccessFor({ host: '0.0.0.0', readToken });
    const server = await startServer({ dbPath, host: '127.0.0.1', port: 0, config: SERVER_DEFAULTS, log: pino({ level: 'silent' }), plugins: [webPlugin({ access })] });
    cleanups.push(() => server.close());

    const history = new RemoteRunHistory({ url: `http://127.0.0.1:${server.port}`, readToken }, { feed, timeZone: 'UTC', now, log: pino({ level: 'silent' }) });
    await history.refresh('attune-1');

    const stored = store.runs.find({ instrumentId: 'attune-1', limit: 1000 }).reverse();
    expect(stored.length).toBeGreaterThan(30);
    expect(history.runsSince('attune-1', '2020-09-11T00:00:00.000Z')).toEqual(
      stored.map((run) => ({ procedure: run.procedure, outcome: run.outcome, startedAt: run.startedAt, endedAt: run.endedAt })),
    );
  });
});
