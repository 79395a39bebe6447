import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { yearFloors } from './year-floors.ts';
import { yearOfLogs } from './year-logs.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'bin/attune-monitor.js');
const SEED = join(ROOT, 'bench/baseline/seed_runs.py');
const TIMED = join(ROOT, 'bench/baseline/timed.py');
const BUILT = join(ROOT, 'dist/attune-monitor.mjs');

/**
 * A busy instrument-year against the seed's approach in Python (bench/baseline), run in
 * this same invocation on the same files, so every figure is a ratio that holds on a shared,
 * noisy machine. Commands are timed as a user runs them (whole processes, wall clock, best of
 * `rounds`, the contenders interleaved round by round).
 */
export async function yearBench(options: { quick: boolean }): Promise<void> {
  const launches = options.quick ? 30 : 365;
  const rounds = options.quick ? 2 : 3;
  const year = yearOfLogs(launches);
  const dir = mkdtempSync(join(tmpdir(), 'attune-year-bench-'));
  try {
    console.log(`\nA busy instrument-year${options.quick ? ' (--quick: 30 launches)' : ''}: ${year.files} launches of the real log, ${year.lines.toLocaleString('en-US')} lines, ${(year.bytes / 1e6).toFixed(1)} MB`);
    console.log(`  each figure: best of ${rounds}, whole processes, the contenders in turn; ratio = wall time / the Python script's`);

    // The CLI as `npx attune-monitor` runs it (TypeScript through tsx, ≈ 0.5 s of CPU to start)
    // and as built (`npm run build`: one bundle, what a deployment runs).
    spawnChecked('npm', ['run', '--silent', 'build']);
    const cli = { tsx: [CLI], built: [BUILT] };
    const contenders: Record<string, (round: number) => string[]> = {
      python: () => ['python3', SEED, year.dir],
      'runs (tsx)': () => [process.execPath, ...cli.tsx, 'runs', '--timezone', 'UTC', year.dir],
      'runs (built)': () => [process.execPath, ...cli.built, 'runs', '--timezone', 'UTC', year.dir],
      'import (tsx)': (round) => [process.execPath, ...cli.tsx, 'import', '--instrument', 'year-1', '--timezone', 'UTC', '--db', join(dir, `tsx-${round}.db`), year.dir],
      'import (built)': (round) => [process.execPath, ...cli.built, 'import', '--instrument', 'year-1', '--timezone', 'UTC', '--db', join(dir, `built-${round}.db`), year.dir],
    };
    const best = new Map<string, Timing>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, command] of Object.entries(contenders)) {
        const timing = timed(command(round));
        const before = best.get(name);
        best.set(name, { wall: Math.min(timing.wall, before?.wall ?? Infinity), cpu: Math.min(timing.cpu, before?.cpu ?? Infinity) });
      }
    }
    const python = best.get('python')!;
    const ratio = (seconds: number) => `${(seconds / python.wall).toFixed(2)}×`;
    console.log(`  ${''.padEnd(48)} ${'wall s'.padStart(10)} ${'ratio'.padStart(14)} ${'cpu s'.padStart(8)} ${'cpu ratio'.padStart(10)}`);
    for (const [name, timing] of best) {
      const target = name.startsWith('runs') ? '≤ 1.0×' : name.startsWith('import') ? '≤ 1.5×' : undefined;
      row(name === 'python' ? 'python (csv + regex + state, no store)' : name, timing.wall.toFixed(2), ratio(timing.wall), target, `${timing.cpu.toFixed(2).padStart(8)} ${`${(timing.cpu / python.cpu).toFixed(2)}×`.padStart(10)}`);
    }
    const imported = best.get('import (built)')!;
    row('import (built): lines/s', Math.round(year.lines / imported.wall).toLocaleString('en-US'), '');

    // The floors: the parts neither command can do without, each timed alone in this process.
    // `runs` reads in a second thread while the machine runs, so the machine alone bounds it;
    // `import` must also insert every event's row.
    const floors = yearFloors(year.dir, dir, rounds, () => timed(contenders.python!(0)).wall);
    const floorRatio = (seconds: number) => `${(seconds / floors.python).toFixed(2)}×`;
    console.log(`  floors, each part alone in this process (no start-up), in turn with the script (${floors.python.toFixed(2)} s then), wall s:`);
    row('  read + parse + classify every line', floors.read.toFixed(2), floorRatio(floors.read));
    row('  the machine alone (runs: at least this)', floors.machine.toFixed(2), floorRatio(floors.machine));
    row('  the event rows\' INSERT alone', floors.insert.toFixed(2), floorRatio(floors.insert));
    row('  machine + INSERT (import: at least this)', (floors.machine + floors.insert).toFixed(2), floorRatio(floors.machine + floors.insert));
    const dbPath = join(dir, 'built-0.db');

    const bytes = databaseBytes(dbPath);
    row('store: bytes per log line', (bytes / year.lines).toFixed(0), `${(bytes / year.bytes).toFixed(2)}× the logs`, '≤ 150');

    // Start-up: from launch to the first answer of /api/v1/instruments, empty and with the year.
    const empty = join(dir, 'empty.db');
    const startEmpty = await bestStartUp(empty, rounds);
    const startYear = await bestStartUp(dbPath, rounds);
    row('server start-up, empty database: s', startEmpty.toFixed(2), ratio(startEmpty));
    row('server start-up, one year stored: s', startYear.toFixed(2), ratio(startYear));
    row('  added by the year: s', (startYear - startEmpty).toFixed(2), ratio(startYear - startEmpty), '≤ 0.5 s');
    if (!options.quick) {
      const five = join(dir, 'five.db');
      for (let i = 1; i <= 5; i++) spawnChecked(process.execPath, [BUILT, 'import', '--instrument', `year-${i}`, '--timezone', 'UTC', '--db', five, year.dir]);
      const startFive = await bestStartUp(five, rounds);
      row('server start-up, five years (5 instruments): s', startFive.toFixed(2), ratio(startFive));
      row('  added by the five: s', (startFive - startEmpty).toFixed(2), ratio(startFive - startEmpty), '≤ 1 s');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(label: string, value: string, ratio: string, target?: string, cpu = ''): void {
  console.log(`  ${label.padEnd(48)} ${value.padStart(10)} ${ratio.padStart(14)}${cpu ? ` ${cpu}` : ''}${target ? `   (target ${target})` : ''}`);
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall clock and CPU (of the command and its children) the command took, measured by bench/baseline/timed.py; it must succeed. */
function timed(command: string[]): Timing {
  const result = spawnSync('python3', [TIMED, ...command], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr.toString()}`);
  const [wall, cpu] = result.stdout.toString().trim().split(' ').map(Number);
  return { wall: wall as number, cpu: cpu as number };
}

function spawnChecked(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.toString()}`);
}

function databaseBytes(path: string): number {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(path).size;
}

async function bestStartUp(dbPath: string, rounds: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) best = Math.min(best, await startUp(dbPath));
  return best;
}

/** Seconds from launching `server` to its first answer of GET /api/v1/instruments. */
async function startUp(dbPath: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'server', '--db', dbPath, '--port', '0', '--host', '127.0.0.1'], {
    // In a folder of its own (no ./.env) and without SLACK_* settings: the server alone.
    cwd: dirname(dbPath),
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_'))),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /"url":"(http:[^"]+)"/.exec(text);
        if (found) resolve(found[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${text}`)));
    });
    const response = await fetch(`${url}/api/v1/instruments`);
    if (!response.ok) throw new Error(`/api/v1/instruments answered ${response.status}`);
    await response.arrayBuffer();
    return (performance.now() - started) / 1000;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
