import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attuneLine, FIXTURE_NAME, FIXTURE_URL as FIXTURE, localTime, LogFileWriter, logFileName, randomPieces, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import type { RealIngestServer } from '../support/real-ingest-server.ts';
import { eventsByKey, expectedEvents } from '../support/expected-events.ts';
import { TEST_ZONE } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

// Against the real server: each check also holds its SQLite rows to an import of the same files.
describe('agent following real files being written', () => {
  let world: AgentScenario<RealIngestServer>;
  let logsDir: string;

  beforeEach(async () => {
    world = await AgentScenario.withRealServer('follow');
    logsDir = world.logsDir;
  });

  afterEach(() => world.dispose());

  const stored = () => world.stored();
  const expectDelivered = (endNewest = false) => world.expectDelivered(endNewest);

  it('ships the fixture written in random pieces (partial lines), then several relaunch files in a row', async () => {
    const random = seededRandom(7);
    await world.start();
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
    world.expectSameRowsAsImport();
    const endedFiles = [...stored().values()].filter((s) => s.event.type === 'log_ended').map((s) => s.event.source.file);
    expect(endedFiles.sort()).toEqual([FIXTURE_NAME, 'System_2020-09-12_08-00-00.log', expect.stringMatching(/^System_2020-09-12_08-/)]);
  });

  it('catches up on a relaunch that happened while the agent was down', async () => {
    const random = seededRandom(11);
    const first = new LogFileWriter(logsDir, FIXTURE_NAME);
    const fixture = readFileSync(FIXTURE);
    first.append(fixture.subarray(0, 60_000));
    await world.start();
    await expectDelivered();
    await world.stop();

    // While it is down: the software writes on, dies mid-line, is launched twice more.
    first.append(fixture.subarray(60_000, 90_000));
    let launch = localTime('2020-09-12T08:00:00');
    for (let i = 0; i < 2; i++) {
      const { lines, end } = sessionLines(launch, random);
      new LogFileWriter(logsDir, logFileName(launch)).appendLines(lines);
      launch = new Date(end.getTime() + 60_000);
    }
    await world.start();
    await expectDelivered();
    // The first file ended with a cut line: that line is final and its event was delivered.
    expect([...stored().values()].some((s) => s.event.source.file === FIXTURE_NAME && s.event.type === 'log_ended' && s.event.source.offset === 90_000)).toBe(true);
  });

  it('reads a file again from the start when it is truncated and rewritten', async () => {
    const random = seededRandom(5);
    const name = logFileName(localTime('2020-09-12T08:00:00'));
    const writer = new LogFileWriter(logsDir, name);
    const before = sessionLines(localTime('2020-09-12T08:00:00'), random);
    writer.appendLines(before.lines);
    await world.start();
    await expectDelivered();
    const old = new Map(stored());

    // Replaced by other, longer content (fingerprint differs): every line is read again.
    const after = sessionLines(localTime('2020-09-12T08:00:00'), seededRandom(99), 'adoe');
    writeFileSync(writer.path, '');
    writer.appendLines([...after.lines, ...sessionLines(after.end, random, 'adoe').lines]);
    const now = expectedEvents(logsDir, TEST_ZONE);
    // The store keeps the first event under each key: what was there stays, what is new is added.
    const union = new Map([...now, ...eventsByKey(old)]);
    await waitFor('the rewritten file to be shipped', () => stored().size >= union.size);
    expect(eventsByKey(stored())).toEqual(union);
    expect(world.agent.logs.some((l) => l.msg.includes('truncated or replaced') && l.reason === 'replaced')).toBe(true);
    expect(world.server.duplicates).toBeGreaterThan(0);
    // The rows are an import of the first version and then of the second, into one database.
    world.expectSameRowsAsImport();
  });

  it('reads a file truncated and written again with the same lines without losing or changing any', async () => {
    const name = logFileName(localTime('2020-09-12T08:00:00'));
    const writer = new LogFileWriter(logsDir, name);
    const { lines } = sessionLines(localTime('2020-09-12T08:00:00'), seededRandom(3));
    writer.appendLines(lines);
    await world.start();
    await expectDelivered();
    writeFileSync(writer.path, '');
    await waitFor('the agent to notice the truncation', () => world.agent.logs.some((l) => l.reason === 'truncated'));
    writer.appendLines(lines.slice(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    writer.appendLines(lines.slice(5));
    await waitFor('the lines to be re-sent', () => world.server.duplicates >= expectedEvents(logsDir, TEST_ZONE).size);
    await expectDelivered();
  });

  it('waits for a logs folder that does not exist yet, reports it, and reads it once it appears', async () => {
    const missing = join(world.root, 'not-yet');
    world.logsDir = missing;
    await world.start();
    await waitFor('a heartbeat', () => world.server.heartbeats.length > 0);
    const heartbeat = world.server.heartbeats.at(-1)!;
    expect(heartbeat.logs_dir_readable).toBe(false);
    expect(heartbeat.last_error).toMatch(/logs: cannot read the logs folder .*not-yet: no such file or folder/);
    expect(heartbeat.following).toBeNull();

    mkdirSync(missing);
    const writer = new LogFileWriter(missing, FIXTURE_NAME);
    writer.append(readFileSync(FIXTURE));
    logsDir = missing;
    await expectDelivered();
    const size = readFileSync(FIXTURE).length;
    await waitFor('a heartbeat saying the folder is read to its end', () => world.server.heartbeats.at(-1)?.following?.offset === size);
    const last = world.server.heartbeats.at(-1)!;
    expect(last.logs_dir_readable).toBe(true);
    expect(last.last_error).toBeNull();
    expect(last.following).toEqual({ file: FIXTURE_NAME, size, offset: size });
    expect(last.last_line_at).not.toBeNull();
  });

  it('ships the hand-made cases (BOM, CRLF, quoting, US times, a crash and relaunch) written launch after launch', async () => {
    const cases = new URL('../../fixtures/cases/', import.meta.url);
    const files = readdirSync(cases, { recursive: true, encoding: 'utf8' })
      .filter((path) => /System_[^/\\]*\.log$/.test(path))
      .map((path) => ({ path: new URL(path, cases), name: basename(path) }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(files.length).toBeGreaterThanOrEqual(4);
    await world.start();
    const random = seededRandom(17);
    for (const file of files) {
      const writer = new LogFileWriter(logsDir, file.name);
      for (const piece of randomPieces(readFileSync(file.path), random, 200)) writer.append(piece);
      await expectDelivered();
    }
    world.expectSameRowsAsImport();
  });
});
