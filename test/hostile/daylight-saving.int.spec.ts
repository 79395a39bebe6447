import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readRunsReport } from '../../src/reports/read-runs-report.ts';
import { importLogFiles } from '../../src/store/import-log-files.ts';
import { openStore, sqliteOf, tempDir } from '../store/store-test-kit.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { eventsOf, logLine, logText } from '../support/attune-log.ts';
import type { RealIngestServer } from '../support/real-ingest-server.ts';

// Daylight saving time: log times are local without an offset. Before: a Rinse logged from 02:50 to
// 02:10 across the autumn change (Europe/Berlin, 2020-10-25) got duration_s -2400, and so did the
// median that feeds the countdowns. Now the log's order tells which 02:xx a line is in, and a time
// in the spring gap is the moment of the change: a file's times never run backwards.

interface Change {
  zone: string;
  /** The launch, in the file's name. */
  launch: string;
  /** The Rinse's lines: start, two steps, done, then idle. */
  times: [string, string, string, string, string];
  startedAt: string;
  endedAt: string;
}

const CHANGES: Record<string, Change> = {
  'Europe/Berlin, clocks back (2020-10-25 03:00 → 02:00)': {
    zone: 'Europe/Berlin',
    launch: '2020-10-25_01-30-00',
    times: ['2020-10-25 02:50:00.000', '2020-10-25 02:55:00.000', '2020-10-25 02:05:00.000', '2020-10-25 02:10:00.000', '2020-10-25 03:10:00.000'],
    startedAt: '2020-10-25T00:50:00.000Z',
    endedAt: '2020-10-25T01:10:00.000Z',
  },
  'America/New_York, clocks back (2020-11-01 02:00 → 01:00)': {
    zone: 'America/New_York',
    launch: '2020-11-01_00-30-00',
    times: ['2020-11-01 01:50:00.000', '2020-11-01 01:55:00.000', '2020-11-01 01:05:00.000', '2020-11-01 01:10:00.000', '2020-11-01 02:10:00.000'],
    startedAt: '2020-11-01T05:50:00.000Z',
    endedAt: '2020-11-01T06:10:00.000Z',
  },
  'Europe/Berlin, clocks forward (2021-03-28 02:00 → 03:00)': {
    zone: 'Europe/Berlin',
    launch: '2021-03-28_01-30-00',
    times: ['2021-03-28 01:50:00.000', '2021-03-28 02:30:00.000', '2021-03-28 03:05:00.000', '2021-03-28 03:10:00.000', '2021-03-28 03:20:00.000'],
    startedAt: '2021-03-28T00:50:00.000Z',
    endedAt: '2021-03-28T01:10:00.000Z',
  },
  'America/New_York, clocks forward (2021-03-14 02:00 → 03:00)': {
    zone: 'America/New_York',
    launch: '2021-03-14_01-30-00',
    times: ['2021-03-14 01:50:00.000', '2021-03-14 02:30:00.000', '2021-03-14 03:05:00.000', '2021-03-14 03:10:00.000', '2021-03-14 03:20:00.000'],
    startedAt: '2021-03-14T06:50:00.000Z',
    endedAt: '2021-03-14T07:10:00.000Z',
  },
};

function rinseLines(change: Change): string[] {
  const [start, step1, step2, done, idle] = change.times;
  return [
    logLine(start, 'Event:Starting_Rinse', { user: 'jsmith' }),
    logLine(step1, 'Instrument function Rinse executing line 1', { user: 'jsmith' }),
    logLine(step2, 'Instrument function Rinse executing line 2', { user: 'jsmith' }),
    logLine(done, 'Event:Rinse_Done~0', { user: 'jsmith' }),
    logLine(idle, 'Instrument function Instrument Idle executing line 1', { user: 'jsmith' }),
  ];
}

const fileName = (change: Change) => `System_${change.launch}.log`;

describe.each(Object.entries(CHANGES))('%s', (_, change) => {
  const text = logText(rinseLines(change));

  it('reads the file in order: its times never run backwards', () => {
    const times = eventsOf(fileName(change), text, { zone: change.zone, ended: true }).map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  it('gives `runs` the Rinse its true duration (+1200 s)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, fileName(change)), text);
    const { report } = readRunsReport(listLogFiles([dir]), change.zone);
    expect(report.runs.map((run) => [run.procedure, run.startedAt, run.endedAt])).toEqual([['Rinse', change.startedAt, change.endedAt]]);
  });

  it('stores the Rinse with +1200 s in procedure_runs and procedure_stats after `import`', () => {
    const dir = tempDir();
    writeFileSync(join(dir, fileName(change)), text);
    const store = openStore(join(dir, 'store.db'));
    try {
      importLogFiles(store, 'nxt-1', listLogFiles([join(dir, fileName(change))]), { toUtc: localToUtcConverter(change.zone) });
      expect(sqliteOf(store).prepare('SELECT procedure, started_at, ended_at, duration_s FROM procedure_runs').all()).toEqual([
        { procedure: 'Rinse', started_at: change.startedAt, ended_at: change.endedAt, duration_s: 1200 },
      ]);
      expect(sqliteOf(store).prepare('SELECT procedure, median_s FROM procedure_stats').all()).toEqual([{ procedure: 'Rinse', median_s: 1200 }]);
    } finally {
      store.close();
    }
  });
});

describe('the agent across the autumn change, stopped inside the repeated hour', () => {
  let world: AgentScenario<RealIngestServer>;
  beforeEach(async () => {
    world = await AgentScenario.withRealServer('dst');
  });
  afterEach(() => world.dispose());

  it('stores what import stores, the Rinse at +1200 s, after resuming from its checkpoint', async () => {
    const change = CHANGES['Europe/Berlin, clocks back (2020-10-25 03:00 → 02:00)'] as Change;
    expect(change.zone).toBe(world.config().timeZone);
    const lines = rinseLines(change);
    const path = join(world.logsDir, fileName(change));
    writeFileSync(path, logText(lines.slice(0, 2)));
    await world.start();
    await world.expectDelivered();
    await world.stop();
    // Restarted after the clocks went back: only the checkpoint knows the file was in summer time.
    appendFileSync(path, logText(lines.slice(2)));
    await world.start();
    await world.expectDelivered();
    const runs = world.server.read((db) => db.prepare('SELECT started_at, ended_at, duration_s FROM procedure_runs').all());
    expect(runs).toEqual([{ started_at: change.startedAt, ended_at: change.endedAt, duration_s: 1200 }]);
  });
});
