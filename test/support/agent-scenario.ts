import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AgentConfig } from '../../src/agent/agent-config.ts';
import type { AgentDeps } from '../../src/agent/agent.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { importLogFiles } from '../../src/store/import-log-files.ts';
import { eventRows, projectionRows, sqliteOf } from '../store/store-test-kit.ts';
import { logEventRows, logProjections } from './comparable-rows.ts';
import { eventsByKey, expectedEvents, rawMismatches } from './expected-events.ts';
import { FakeIngestServer, type StoredEvent } from './fake-ingest-server.ts';
import { RealIngestServer } from './real-ingest-server.ts';
import { fastConfig, startTestAgent, tempDir, TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE, type TestAgent } from './test-agent.ts';
import { waitFor } from './wait-for.ts';

// One agent test's world: a logs folder, a state folder, a server on 127.0.0.1 (the real one, or
// a fake that can be made to fail), and the in-process agent; plus the check every test ends with.

/** What the tests read of a server, fake or real. */
export type IngestServer = FakeIngestServer | RealIngestServer;

export class AgentScenario<Server extends IngestServer = FakeIngestServer> {
  readonly root: string;
  logsDir: string;
  readonly stateDir: string;
  readonly server: Server;
  running: TestAgent | null = null;
  private readonly cleanupDir: () => void;
  /** With the real server: `import` of the files as they were at each check, into one database. */
  private reference: EventStore | null = null;

  private constructor(root: string, cleanup: () => void, server: Server) {
    this.root = root;
    this.cleanupDir = cleanup;
    this.logsDir = join(root, 'logs');
    this.stateDir = join(root, 'state');
    this.server = server;
    mkdirSync(this.logsDir);
  }

  /** With the fake server: for what only it can do (fail on purpose, be slow, count conflicts). */
  static async create(name: string, tokens: Record<string, string> = { [TEST_TOKEN]: TEST_INSTRUMENT }): Promise<AgentScenario> {
    const dir = tempDir(name);
    return new AgentScenario(dir.path, dir.cleanup, await FakeIngestServer.start({ tokens }));
  }

  /** With the real server (src/server in this process, its own SQLite file). */
  static async withRealServer(name: string, tokens: Record<string, string> = { [TEST_TOKEN]: TEST_INSTRUMENT }): Promise<AgentScenario<RealIngestServer>> {
    const dir = tempDir(name);
    mkdirSync(join(dir.path, 'server'));
    return new AgentScenario(dir.path, dir.cleanup, await RealIngestServer.start({ dir: join(dir.path, 'server'), tokens }));
  }

  stored(): Map<string, StoredEvent> {
    return this.server.store(TEST_INSTRUMENT);
  }

  config(overrides: Partial<AgentConfig> = {}): AgentConfig {
    return fastConfig(this.logsDir, this.stateDir, this.server.url, overrides);
  }

  async start(overrides: Partial<AgentConfig> = {}, deps: Partial<AgentDeps> = {}): Promise<TestAgent> {
    await this.stop();
    this.running = await startTestAgent(this.config(overrides), deps);
    return this.running;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  get agent(): TestAgent {
    if (!this.running) throw new Error('no agent running');
    return this.running;
  }

  /** Waits until the server holds as many events as the core reads from the folder; then they must be exactly those. */
  async expectDelivered(endNewest = false, timeoutMs = 10_000): Promise<void> {
    const expected = expectedEvents(this.logsDir, TEST_ZONE, endNewest);
    await waitFor(`${expected.size} events on the server`, () => this.stored().size >= expected.size, timeoutMs);
    expect(eventsByKey(this.stored())).toEqual(expected);
    expect(rawMismatches(this.logsDir, this.stored())).toEqual([]);
    expect(this.server.conflicts).toEqual([]);
    if (this.server instanceof RealIngestServer) this.expectSameRowsAsImport();
  }

  /**
   * The yardstick: the server's `events` rows (every column but global_position and
   * recorded_at, connectivity changes aside) and projections are those `attune-monitor import` of
   * the same files writes. With the real server its own database is compared with an import done
   * at each check into one reference database, so a file rewritten between checks is compared
   * with an import of each version in turn (both keep the first event under a key). With the fake,
   * what it received is appended to a real store in the order it arrived.
   */
  expectSameRowsAsImport(): void {
    const recorded = () => new Date('2024-01-02T03:04:05.678Z');
    const importFiles = (store: EventStore) => importLogFiles(store, TEST_INSTRUMENT, listLogFiles([this.logsDir]), { toUtc: localToUtcConverter(TEST_ZONE) });
    if (this.server instanceof RealIngestServer) {
      this.reference ??= EventStore.open(join(this.root, 'imported.db'), { now: recorded });
      importFiles(this.reference);
      const reference = this.reference;
      this.server.read((db) => {
        expect(logEventRows(db)).toEqual(logEventRows(sqliteOf(reference)));
        expect(logProjections(db)).toEqual(logProjections(sqliteOf(reference)));
      });
      return;
    }
    const live = EventStore.open(join(this.root, 'live.db'), { now: recorded });
    const imported = EventStore.open(join(this.root, 'imported.db'), { now: recorded });
    try {
      const items = [...this.stored().values()];
      live.appendLogEvents(TEST_INSTRUMENT, items.map((item) => item.event), items.map((item) => item.raw));
      importFiles(imported);
      expect(eventRows(sqliteOf(live))).toEqual(eventRows(sqliteOf(imported)));
      expect(projectionRows(sqliteOf(live))).toEqual(projectionRows(sqliteOf(imported)));
    } finally {
      live.close();
      imported.close();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.server.stop();
    this.reference?.close();
    this.cleanupDir();
  }
}
