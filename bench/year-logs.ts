import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_LOG } from './big-log.ts';

export interface YearLogs {
  dir: string;
  files: number;
  lines: number;
  bytes: number;
}

/**
 * A busy instrument-year: the real log launched once a day, `launches` times (365: 442,380 lines),
 * each copy a file of its own named and timed one day later, as the Attune software writes them.
 * Written once per size into the temp folder (complete or not at all) and reused.
 */
export function yearOfLogs(launches: number): YearLogs {
  const fixtureLines = readFileSync(FIXTURE_LOG, 'utf8').split('\n').filter((line) => line !== '');
  const dir = join(tmpdir(), 'attune-monitor-bench', `launches-${launches}`);
  if (!existsSync(dir)) {
    const partial = `${dir}.tmp-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const start = Date.UTC(2020, 8, 11);
    for (let launch = 0; launch < launches; launch++) {
      const day = new Date(start + launch * 86_400_000).toISOString().slice(0, 10);
      const fd = openSync(join(partial, `System_${day}_12-26-48.log`), 'w');
      writeSync(fd, fixtureLines.map((line) => day + line.slice(10)).join('\n') + '\n');
      closeSync(fd);
    }
    mkdirSync(join(tmpdir(), 'attune-monitor-bench'), { recursive: true });
    renameSync(partial, dir);
  }
  const names = readdirSync(dir);
  const bytes = names.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  return { dir, files: names.length, lines: names.length * fixtureLines.length, bytes };
}
