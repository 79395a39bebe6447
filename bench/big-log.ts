import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_LOG = new URL('../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url);

/**
 * A large log built by repeating the real fixture, each copy one day later, so runs, sessions and
 * source offsets stay distinct. Written once per size into the temp folder and reused.
 */
export function bigLogFile(minLines: number): { path: string; name: string; lines: number; bytes: number } {
  const fixture = readFileSync(FIXTURE_LOG, 'utf8');
  const fixtureLines = fixture.split('\n').filter((line) => line !== '');
  const copies = Math.ceil(minLines / fixtureLines.length);
  const lines = copies * fixtureLines.length;
  const dir = join(tmpdir(), 'attune-monitor-bench');
  mkdirSync(dir, { recursive: true });
  const name = 'System_2020-09-11_12-26-48.log';
  const path = join(dir, `${lines}`, name);
  if (existsSync(path)) return { path, name, lines, bytes: statSync(path).size };
  mkdirSync(join(dir, `${lines}`), { recursive: true });
  const fd = openSync(`${path}.tmp`, 'w');
  const start = Date.UTC(2020, 8, 11);
  for (let copy = 0; copy < copies; copy++) {
    const day = new Date(start + copy * 86_400_000).toISOString().slice(0, 10);
    writeSync(fd, fixtureLines.map((line) => day + line.slice(10)).join('\n') + '\n');
  }
  closeSync(fd);
  // Renamed into place only when complete, so an interrupted run never leaves a short file.
  renameSync(`${path}.tmp`, path);
  return { path, name, lines, bytes: statSync(path).size };
}
