import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { foldLogFilesInWorker } from '../../src/logs/log-files-worker.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import type { MonitorEvent } from '../../src/machines/monitor-types.ts';
import { StepFolder } from '../../src/machines/step-folding.ts';
import { readRunsReport, readRunsReportInWorker } from '../../src/reports/read-runs-report.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const ALL = [`${FIXTURES}attune`, `${FIXTURES}cases/crash-relaunch`, `${FIXTURES}cases/plate-wells-failures`, `${FIXTURES}cases/quoting-bom-crlf`, `${FIXTURES}cases/us-layout`];

function foldedInThread(paths: string[], timeZone: string, endNewest: boolean) {
  const folder = new StepFolder();
  const events: MonitorEvent[] = [];
  const summary = readLogFiles(listLogFiles(paths), { toUtc: localToUtcConverter(timeZone), endNewest, onEvents: (read) => read.forEach((event) => folder.push(event, events)) });
  folder.flush(events);
  return { events, summary };
}

describe('reading logs in a worker thread', () => {
  it.each([
    ['UTC', false, 0],
    ['Europe/Berlin', true, 2],
    ['America/New_York', false, undefined],
  ] as const)('folds the real log and the golden cases into the same events, keys in the same order, as on this thread (%s, newest ended: %s, files read before the worker: at most %s)', async (timeZone, endNewest, filesHere) => {
    const expected = foldedInThread(ALL, timeZone, endNewest);
    const events: MonitorEvent[] = [];
    const summary = await foldLogFilesInWorker(listLogFiles(ALL), { timeZone, endNewest, filesHere, onEvent: (event) => events.push(event) });
    expect(events.length).toBeGreaterThan(300);
    expect(events).toStrictEqual(expected.events);
    expect(events.map((event) => JSON.stringify(event))).toEqual(expected.events.map((event) => JSON.stringify(event)));
    expect(summary).toEqual(expected.summary);
  });

  it('gives the same runs report as reading on this thread', async () => {
    const files = listLogFiles(ALL);
    expect(await readRunsReportInWorker(files, 'America/New_York')).toStrictEqual(readRunsReport(files, 'America/New_York'));
  });

  it.each([0, 1])('fails with the file system error of a file that vanished after it was listed (read by the worker: %s)', async (filesHere) => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-read-'));
    const path = join(dir, 'System_2020-09-11_12-26-48.log');
    copyFileSync(`${FIXTURES}attune/System_2020-09-11_12-26-48.log`, path);
    const files = listLogFiles([dir]);
    rmSync(path);
    await expect(foldLogFilesInWorker(files, { timeZone: 'UTC', filesHere, onEvent: () => {} })).rejects.toMatchObject({ code: 'ENOENT' });
    rmSync(dir, { recursive: true });
  });

  it('reads nothing, and starts nothing it waits for, when there are no files', async () => {
    await expect(foldLogFilesInWorker([], { timeZone: 'UTC', onEvent: () => {} })).resolves.toMatchObject({ files: 0, events: 0, lines: 0 });
  });
});
