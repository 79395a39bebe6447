import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attuneLine, localTime, LogFileWriter, logFileName, randomPieces, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { eventsOf, expectedEvents, rawMismatches } from '../support/expected-events.ts';
import { FakeIngestServer } from '../support/fake-ingest-server.ts';
import { fastConfig, startTestAgent, tempDir, TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE, type TestAgent } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = new URL('../../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url);
const FIXTURE_NAME = 'System_2020-09-11_12-26-48.log';

describe('agent following real files being written', () => {
  let dir: { path: string; cleanup: () => void };
  let logsDir: string;
  let stateDir: string;
  let server: FakeIngestServer;
  let running: TestAgent | null = null;

  beforeEach(async () => {
    dir = tempDir('follow');
    logsDir = join(dir.path, 'logs');
    stateDir = join(dir.path, 'state');
    mkdirSync(logsDir);
    server = await FakeIngestServer.start({ tokens: { [TEST_TOKEN]: TEST_INSTRUMENT } });
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    await server.stop();
    dir.cleanup();
  });

  const stored = () => server.store(TEST_INSTRUMENT);

  /** Waits until the server holds exactly the core's events for the folder, then checks content. */
  async function expectDelivered(endNewest = false): Promise<void> {
    const expected = expectedEvents(logsDir, TEST_ZONE, endNewest);
    await waitFor(`${expected.size} events on the server`, () => stored().size >= expected.size);
    expect(eventsOf(stored())).toEqual(expected);
    expect(rawMismatches(logsDir, stored())).toEqual([]);
    expect(server.conflicts).toEqual([]);
  }

  it('ships the fixture written in random pieces (partial lines), then several relaunch files in a row', async () => {
    const random = seededRandom(7);
    running = await startTestAgent(fastConfig(logsDir, stateDir, server.url));
    const first = new LogFileWriter(logsDir, FIXTURE_NAME);
    const pieces = randomPieces(readFileSync(FIXTURE), random, 20_000);
    for (const piece of pieces) {
      first.append(piece);
      await new Promise((resolve) => setTimeout(resolve, random() * 15));
    }
    await expectDelivered();

    // Three relaunches in a row; the last file is left with a partial last line.
    let launch = localTime('2020-09-12T08:00:00');
    for (let i = 0; i < 3; i++) {
      const writer = new LogFileWriter(logsDir, logFileName(launch), { bom: i === 0 });
      const { lines, end } = sessionLines(launch, random);
      writer.appendLines(lines);
      if (i === 2) writer.append(attuneLine({ at: end, message: 'Event:Starting_Startup' }).slice(0, 30));
      await expectDelivered();
      launch = new Date(end.getTime() + 60_000);
    }
    const endedFiles = [...stored().values()].filter((s) => s.event.type === 'log_ended').map((s) => s.event.source.file);
    expect(endedFiles.sort()).toEqual([FIXTURE_NAME, 'System_2020-09-12_08-00-00.log', expect.stringMatching(/^System_2020-09-12_08-/)]);
  });
});
