import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendDurably } from '../../src/agent/durable-fs.ts';
import { BATCH_LIMITS } from '../../src/agent/outbox-records.ts';
import { Outbox } from '../../src/agent/outbox.ts';
import type { EventItem } from '../../src/protocol/events-api.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { FIXTURE_NAME, FIXTURE_URL, LogFileWriter } from '../support/attune-log-writer.ts';
import { drainItems, items, OUTBOX_TEST_FILE } from '../support/outbox-items.ts';
import { tempDir } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

// Hostile input, the outbox's side: a record the server would refuse is never written;
// one found damaged on disk is moved to a quarantine file and reported, never silently skipped;
// a full disk does not leave a new empty segment file behind at every attempt.

const FILE = OUTBOX_TEST_FILE;
const drain = drainItems;

const segments = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('seg-'));

describe('the outbox against input the server would refuse', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir('hostile-outbox');
  });
  afterEach(() => dir.cleanup());

  it('never writes a record the server would refuse: the other events of the append are sent', async () => {
    const outbox = await Outbox.open(dir.path);
    const tooLong: EventItem = { event: { type: 'step', function: 'x'.repeat(70_000), line: 1, at: '2020-09-11T10:26:48.728Z', source: { file: FILE, offset: 3, index: 0, line: 3 } }, raw: 'a long line' };
    const pastTheLimit: EventItem = { event: { type: 'fcs_file_saved', at: '2020-09-11T10:26:48.728Z', source: { file: FILE, offset: 4, index: 1500, line: 4 } }, raw: 'a glued line' };
    await outbox.append([...items(0, 3), tooLong, pastTheLimit, ...items(5, 3)]);
    const sent = await drain(outbox);
    // The refused event became an unparsed line under its own key, its raw line kept.
    expect(sent.map((i) => [i.event.source.offset, i.event.type])).toEqual([
      [0, 'fcs_file_saved'],
      [1, 'fcs_file_saved'],
      [2, 'fcs_file_saved'],
      [3, 'line_unparsed'],
      [5, 'fcs_file_saved'],
      [6, 'fcs_file_saved'],
      [7, 'fcs_file_saved'],
    ]);
    expect(sent[3]).toMatchObject({ event: { reason: 'not_admissible' }, raw: 'a long line' });
    // The one whose key itself is refused is kept aside, whole.
    expect(outbox.quarantined).toBe(1);
    expect(JSON.parse(readFileSync(outbox.quarantinePath, 'utf8'))).toEqual(pastTheLimit);
  });

  it('moves a damaged record to the quarantine file, once, and counts it across a restart', async () => {
    const outbox = await Outbox.open(dir.path);
    await outbox.append(items(0, 1));
    const [segment] = segments(dir.path);
    const path = join(dir.path, segment!);
    const damagedLine = readFileSync(path, 'utf8').replace('fcs_file_saved', 'fcs_file_savex');
    writeFileSync(path, damagedLine);
    await outbox.append(items(1, 1));
    const reopened = await Outbox.open(dir.path);
    // Read twice before it is acknowledged (a server down): moved aside once.
    await reopened.nextBatch(BATCH_LIMITS, Infinity);
    expect((await drain(reopened)).map((i) => i.event.source.offset)).toEqual([1]);
    expect(readFileSync(reopened.quarantinePath, 'utf8')).toBe(damagedLine);
    expect(reopened.quarantined).toBe(1);
    expect((await Outbox.open(dir.path)).quarantined).toBe(1);
  });

  it('leaves no new segment file behind at each attempt while the disk is full', async () => {
    let full = true;
    const outbox = await Outbox.open(dir.path, {
      appendDurably: async (file, data) => {
        if (!full) return appendDurably(file, data);
        appendFileSync(file, data.slice(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    for (let attempt = 0; attempt < 20; attempt++) await expect(outbox.append(items(0, 2))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(segments(dir.path)).toEqual([]);
    full = false;
    await outbox.append(items(0, 2));
    expect((await drain(outbox)).map((i) => i.event.source.offset)).toEqual([0, 1]);
  });
});

describe('the agent with a quarantined record and a full disk', () => {
  let world: AgentScenario;
  beforeEach(async () => {
    world = await AgentScenario.create('hostile-agent-outbox');
  });
  afterEach(() => world.dispose());

  it('reports the quarantine in its heartbeats', async () => {
    const outbox = await Outbox.open(join(world.stateDir, 'outbox'));
    await outbox.append(items(0, 1));
    const [segment] = segments(join(world.stateDir, 'outbox'));
    const path = join(world.stateDir, 'outbox', segment!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('fcs_file_saved', 'fcs_file_savex'));
    await world.start();
    await waitFor('a heartbeat telling of the quarantine', () => (world.server.heartbeats.at(-1)?.outbox_quarantined ?? 0) === 1);
    expect(world.server.heartbeats.at(-1)?.last_error).toMatch(/quarantine: 1 outbox lines could not be sent and were moved to .*quarantine\.jsonl/);
  });

  it('creates no segment files while the disk stays full (before: one per attempt)', async () => {
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(readFileSync(FIXTURE_URL));
    let attempts = 0;
    await world.start(
      {},
      {
        appendDurably: async (file, data) => {
          if (file.includes('seg-')) attempts++;
          appendFileSync(file, data.slice(0, 100));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    );
    await sleep(1000);
    await world.stop();
    expect(attempts).toBeGreaterThan(1);
    expect(segments(join(world.stateDir, 'outbox'))).toEqual([]);
  });
});
