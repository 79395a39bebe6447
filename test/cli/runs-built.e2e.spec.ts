import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import type * as ReaderThread from '../../src/logs/log-files-worker.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import type { MonitorEvent } from '../../src/machines/monitor-types.ts';
import { StepFolder } from '../../src/machines/step-folding.ts';
import { runCli } from '../support/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = `${ROOT}fixtures/`;
const BUILT = `${ROOT}dist/attune-monitor.mjs`;

// The built CLI reads the logs in a worker thread started from its own bundle's chunk (the sources
// read them on the main thread): both must print the same, and the bundle's reader thread must
// start from its chunk and give the events the sources give.
describe('attune-monitor runs, built (npm run build)', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  }, 120_000);

  it.each(['--json --timezone UTC', '--timezone Europe/Berlin'])('prints what the sources print for the real log and the golden cases (%s)', (options) => {
    const args = ['runs', ...options.split(' '), `${FIXTURES}attune`, `${FIXTURES}cases/crash-relaunch`, `${FIXTURES}cases/plate-wells-failures`];
    const built = spawnSync(process.execPath, [BUILT, ...args], { encoding: 'utf8' });
    const sources = runCli(args);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(sources.status).toBe(0);
    expect(built.stdout.length).toBeGreaterThan(1000);
    expect(built.stdout).toBe(sources.stdout);
  });

  it('says which path is missing, and which zone is unknown, as the sources do', () => {
    const missing = spawnSync(process.execPath, [BUILT, 'runs', '/no/such/folder'], { encoding: 'utf8' });
    expect(missing).toMatchObject({ status: 2, stderr: 'attune-monitor: /no/such/folder: no such file or folder\n' });
    const zone = spawnSync(process.execPath, [BUILT, 'runs', '--timezone', 'Mars/Olympus', `${FIXTURES}attune`], { encoding: 'utf8' });
    expect(zone).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown time zone "Mars/Olympus"') });
  });

  it("starts the reader thread from the bundle's own chunk, with the events the sources read", async () => {
    const chunks = `${ROOT}dist/chunks/`;
    const chunk = readdirSync(chunks).find((name) => readFileSync(`${chunks}${name}`, 'utf8').includes('attune-monitor:fold-log-files'));
    expect(chunk).toBeDefined();
    const built = (await import(pathToFileURL(`${chunks}${chunk}`).href)) as typeof ReaderThread;
    const files = listLogFiles([`${FIXTURES}attune`, `${FIXTURES}cases/crash-relaunch`, `${FIXTURES}cases/us-layout`]);
    const fromWorker: MonitorEvent[] = [];
    await built.foldLogFilesInWorker(files, { timeZone: 'Europe/Berlin', filesHere: 0, onEvent: (event) => fromWorker.push(event) });
    const folder = new StepFolder();
    const expected: MonitorEvent[] = [];
    readLogFiles(files, { toUtc: localToUtcConverter('Europe/Berlin'), onEvents: (events) => events.forEach((event) => folder.push(event, expected)) });
    folder.flush(expected);
    expect(fromWorker.length).toBeGreaterThan(250);
    expect(fromWorker).toStrictEqual(expected);
  });
});
