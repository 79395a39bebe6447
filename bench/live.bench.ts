import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { SERVER_DEFAULTS } from '../src/server/server-config.ts';
import { startServer, type RunningServer } from '../src/server/start-server.ts';
import { buildAgent, runtimes } from '../build/agent/build-agent.ts';
import { AGENT_NODE_FLAGS } from '../src/agent/cli/node-flags.ts';
import { generateSyntheticHistory } from '../src/synthetic/synthetic-history.ts';
import { printRow } from './measure.ts';

// `npm run bench:live`: the live path as it runs in a lab, measured.
//  1. Latency: a line appended to the log the agent follows (a real agent process, default poll
//     of 250 ms) until the server's live feed shows it (the view that the API and Slack read):
//     p50/p99 over LIVE_BENCH_LINES lines (1,000), appended every 20–80 ms. Twice: with change
//     notifications (Linux, inotify) and by the poll alone (as on Windows, where appends by
//     another process may not raise notifications; fs.watch is made silent in the agent).
//  2. The agent at rest for LIVE_BENCH_IDLE_S seconds (60): RSS and CPU, from /proc/<pid>, for
//     the agent run from the sources (tsx) and as the CLI's bundle (npm run build).
//  3. The agent as the instrument PC gets it (npm run build:agent, timed): the one-file agent on
//     this Node and the Linux single executable (Node 24 inside), each after catching up on a busy
//     generated lab day, then at rest (beside the same Node with the same flags polling one file,
//     the floor under those figures); the sizes of the executables and of the zip.

const LINES = Number(process.env.LIVE_BENCH_LINES ?? 1000);
const IDLE_S = Number(process.env.LIVE_BENCH_IDLE_S ?? 60);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INSTRUMENT = 'bench-1';
const TOKEN = 'bench-token';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function logTime(ms: number): string {
  const t = new Date(ms);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}`;
}
const line = (ms: number, message: string) => `${logTime(ms)},Info,bench,Instrument,${message},4132\r\n`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function startAgent(entry: string, logsDir: string, stateDir: string, serverUrl: string, notifications = true): ChildProcess {
  const preload = notifications ? [] : ['--import', join(ROOT, 'bench/no-fs-watch.mjs')];
  const args = [...preload, entry, 'agent', '--logs', logsDir, '--server', serverUrl, '--instrument', INSTRUMENT, '--state-dir', stateDir, '--timezone', 'UTC'];
  return spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ATTUNE_AGENT_TOKEN: TOKEN } });
}

/** CPU ticks (user + system) and RSS of a process, from /proc. */
function procSample(pid: number): { ticks: number; rssKb: number } {
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { ticks, rssKb };
}

async function idleCost(pid: number, seconds: number): Promise<{ cpuPercent: number; rssMb: number; maxRssMb: number }> {
  const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const start = procSample(pid);
  const started = performance.now();
  let maxRss = start.rssKb;
  while (performance.now() - started < seconds * 1000) {
    await sleep(1000);
    maxRss = Math.max(maxRss, procSample(pid).rssKb);
  }
  const end = procSample(pid);
  const elapsed = (performance.now() - started) / 1000;
  return { cpuPercent: ((end.ticks - start.ticks) / clockTicks / elapsed) * 100, rssMb: end.rssKb / 1024, maxRssMb: maxRss / 1024 };
}

/** Appends `lines` step lines to `log` and measures until the feed shows each; returns the agent's process. */
async function latency(label: string, server: RunningServer, logsDir: string, stateDir: string, notifications: boolean): Promise<ChildProcess> {
  const log = join(logsDir, `System_2024-03-04_${notifications ? '08' : '09'}-00-00.log`);
  const base = Date.parse(`2024-03-04T${notifications ? '08' : '09'}:00:01.000Z`);
  writeFileSync(log, line(base, 'login') + line(base + 10, 'Rinse initiated') + line(base + 20, 'Event:Starting_Rinse'));
  // The latest log time the feed has shown, as it changes.
  let shownUpTo = 0;
  const shown: Array<{ upTo: number; at: number }> = [];
  const unsubscribe = server.feed.subscribe((change) => {
    if (change.type !== 'instrument_changed' || change.view.id !== INSTRUMENT || change.view.status.asOf === null) return;
    const asOf = Date.parse(change.view.status.asOf);
    if (asOf > shownUpTo) {
      shownUpTo = asOf;
      shown.push({ upTo: asOf, at: performance.now() });
    }
  });
  const agent = startAgent(join(ROOT, 'bin/attune-monitor.js'), logsDir, stateDir, server.url, notifications);
  const deadline = performance.now() + 30_000;
  while (shownUpTo < base + 20) {
    if (performance.now() > deadline) throw new Error('the agent did not deliver the first lines within 30 s');
    await sleep(20);
  }
  console.log(`\n${label}: ${LINES} step lines appended every 20-80 ms`);
  const appended: number[] = [];
  for (let i = 0; i < LINES; i++) {
    appendFileSync(log, line(base + 1000 + i * 100, `Instrument function Rinse executing line ${LINES - i}`));
    appended.push(performance.now());
    await sleep(20 + Math.random() * 60);
  }
  const last = base + 1000 + (LINES - 1) * 100;
  const waitUntil = performance.now() + 30_000;
  while (shownUpTo < last && performance.now() < waitUntil) await sleep(20);
  unsubscribe();
  const latencies = appended.map((at, i) => {
    const time = base + 1000 + i * 100;
    const first = shown.find((s) => s.upTo >= time && s.at >= at);
    return first === undefined ? Number.POSITIVE_INFINITY : first.at - at;
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  printRow('line appended → feed shows it, p50', `${percentile(sorted, 0.5).toFixed(0)} ms`);
  printRow('line appended → feed shows it, p90', `${percentile(sorted, 0.9).toFixed(0)} ms`);
  printRow('line appended → feed shows it, p99', `${percentile(sorted, 0.99).toFixed(0)} ms`, '≤ 500 ms');
  printRow('line appended → feed shows it, max', `${sorted.at(-1)!.toFixed(0)} ms`);
  printRow('lines never shown', String(latencies.filter((l) => !Number.isFinite(l)).length), '0');
  return agent;
}

/** RSS of a process and its two parts, from /proc: its own (anonymous) memory and pages mapped from files (the executable's code and data). */
function memoryMb(pid: number): { rssMb: number; anonMb: number; fileMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMb: mb('VmRSS'), anonMb: mb('RssAnon'), fileMb: mb('RssFile') };
}

/** Waits until the instrument's events in the server's database stop growing (the agent caught up): the count and the seconds it took. */
async function caughtUp(dbPath: string, instrument: string): Promise<{ events: number; seconds: number }> {
  const db = new Database(dbPath, { readonly: true });
  const count = db.prepare('SELECT count(*) FROM events WHERE instrument_id = ?').pluck();
  const storedCount = () => count.get(instrument) as number;
  try {
    return await waitUntilStable(storedCount, instrument);
  } finally {
    db.close();
  }
}

async function waitUntilStable(storedCount: () => number, instrument: string): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  let last = -1;
  let stableSince = performance.now();
  while (true) {
    const now = storedCount();
    if (now !== last) {
      last = now;
      stableSince = performance.now();
    } else if (now > 0 && performance.now() - stableSince > 3000) {
      return { events: now, seconds: (stableSince - started) / 1000 };
    }
    if (performance.now() - started > 300_000) throw new Error(`${instrument}: not caught up within 5 minutes (${now} events)`);
    await sleep(200);
  }
}

async function builtAgents(server: RunningServer, dbPath: string, dir: string): Promise<void> {
  console.log('\nthe agent as the instrument PC gets it (npm run build:agent):');
  const buildStarted = performance.now();
  const built = await buildAgent(join(dir, 'built'));
  printRow('npm run build:agent (all four artifacts), wall', `${((performance.now() - buildStarted) / 1000).toFixed(0)} s`);
  const mb = (file: string) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
  printRow('attune-agent.cjs', mb(built.bundle));
  printRow('attune-agent-linux-x64', mb(built.linuxExe));
  printRow('attune-agent-win-x64.exe', mb(built.windowsExe));
  printRow('attune-agent-win-x64.zip', mb(built.zip));

  // A busy generated day (many runs, crash-free) in one logs folder, read by both from the start.
  const logsDir = join(dir, 'busy-day');
  mkdirSync(logsDir);
  const files = generateSyntheticHistory({ startDate: '2024-03-05', days: 1, seed: 7, crashPerDay: 0 });
  for (const file of files) writeFileSync(join(logsDir, file.name), file.text);
  const lines = files.reduce((sum, file) => sum + file.text.split('\n').length - 1, 0);
  console.log(`  a busy day: ${files.length} log files, ${lines.toLocaleString('en-US')} lines, ${(files.reduce((sum, f) => sum + f.text.length, 0) / 1024).toFixed(0)} KiB`);
  // Run from a copy, as the instrument PC gets them (unzipped): the executable as postject has
  // just written it maps about 20 MB more of its own pages at rest than a copy of the same bytes
  // (measured side by side; the page cache's state of a freshly written file), which is this
  // build machine's, not the agent's.
  const installed = join(dir, 'installed');
  mkdirSync(installed);
  const bundle = join(installed, basename(built.bundle));
  const linuxExe = join(installed, basename(built.linuxExe));
  copyFileSync(built.bundle, bundle);
  copyFileSync(built.linuxExe, linuxExe);
  // Each beside the same Node (same binary, same flags) polling one file as the agent does at rest: the floor under its figures.
  const forms: Array<[string, string[], string]> = [
    // As a service runs it (node's flags from the agent: see src/agent/cli/node-flags.ts).
    ['one file (node attune-agent.cjs)', [process.execPath, ...AGENT_NODE_FLAGS, bundle], process.execPath],
    ['Linux executable (Node 24 inside)', [linuxExe], runtimes().linuxNode],
  ];
  // A zone with summer time, as an instrument PC has (with UTC the agent needs no zone rules at all).
  const zone = 'Europe/Berlin';
  for (const [index, [label, command, node]] of forms.entries()) {
    const instrument = `bench-built-${index}`;
    const token = `bench-built-token-${index}`;
    server.tokens.register(instrument, token);
    const [program, ...leading] = command;
    const args = [...leading, 'run', '--logs', logsDir, '--server', server.url, '--instrument', instrument, '--state-dir', join(dir, `state-built-${index}`), '--timezone', zone];
    const agent = spawn(program!, args, { stdio: 'ignore', cwd: dir, env: { ...process.env, ATTUNE_AGENT_TOKEN: token } });
    try {
      const caught = await caughtUp(dbPath, instrument);
      printRow(`${label}: caught up`, `${caught.events.toLocaleString('en-US')} events, ${caught.seconds.toFixed(1)} s`);
      const cost = await idleCost(agent.pid!, IDLE_S);
      printRow(`${label}: CPU at rest`, `${cost.cpuPercent.toFixed(2)} % of a core`, '≤ 0.5 %');
      printRow(`${label}: RSS at rest, end / max`, `${cost.rssMb.toFixed(0)} / ${cost.maxRssMb.toFixed(0)} MB`, '≤ 60 MB');
      // Of which mapped from the executable (code, ICU data: shared, dropped first under pressure) and the process's own memory (heap).
      const memory = memoryMb(agent.pid!);
      printRow(`${label}: of which own (anon) / file-backed`, `${memory.anonMb.toFixed(0)} / ${memory.fileMb.toFixed(0)} MB`);
    } finally {
      agent.kill('SIGTERM');
    }
    const floor = await pollingNode(node);
    printRow(`  that Node polling a file (4/s), alone: CPU`, `${floor.cpuPercent.toFixed(2)} % of a core`);
    printRow(`  that Node polling a file: RSS (own / file-backed)`, `${floor.rssMb.toFixed(0)} (${floor.anonMb.toFixed(0)} / ${floor.fileMb.toFixed(0)}) MB`);
  }
}

/**
 * `node` with the agent's flags doing what the agent does at rest and nothing else (a stat of one
 * file every 250 ms), measured as the agent is: what any Node-based agent polling at that rate costs.
 */
async function pollingNode(node: string): Promise<{ cpuPercent: number; rssMb: number; anonMb: number; fileMb: number }> {
  const script = `const { statSync } = require('node:fs'); (function poll() { statSync(process.execPath); setTimeout(poll, 250); })();`;
  const child = spawn(node, [...AGENT_NODE_FLAGS, '-e', script], { stdio: 'ignore' });
  try {
    await sleep(3000);
    const { cpuPercent } = await idleCost(child.pid!, Math.max(10, IDLE_S / 2));
    return { cpuPercent, ...memoryMb(child.pid!) };
  } finally {
    child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-live-bench-'));
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir);
  const server = await startServer({ dbPath: join(dir, 'bench.db'), host: '127.0.0.1', port: 0, config: SERVER_DEFAULTS, log: pino({ level: 'silent' }) });
  server.tokens.register(INSTRUMENT, TOKEN);
  const children: ChildProcess[] = [];
  try {
    console.log('\nlive: a real agent process (default poll 250 ms) and the server in this process');
    const watching = await latency('with change notifications (Linux)', server, logsDir, join(dir, 'state-1'), true);
    children.push(watching);
    watching.kill('SIGTERM');
    const polling = await latency('by the poll alone (as on Windows)', server, logsDir, join(dir, 'state-2'), false);
    children.push(polling);

    console.log(`\nagent at rest for ${IDLE_S} s (default poll 250 ms, heartbeat 10 s), from /proc:`);
    const fromSources = await idleCost(polling.pid!, IDLE_S);
    printRow('from the sources (tsx): CPU', `${fromSources.cpuPercent.toFixed(2)} % of a core`, '≤ 1 %');
    printRow('from the sources (tsx): RSS at the end / max', `${fromSources.rssMb.toFixed(0)} / ${fromSources.maxRssMb.toFixed(0)} MB`, '≤ 80 MB');
    polling.kill('SIGTERM');

    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    // A new state folder: it first catches up on both logs (2,000 lines), then rests.
    const bundle = startAgent(join(ROOT, 'dist/attune-monitor.mjs'), logsDir, join(dir, 'state-bundle'), server.url);
    children.push(bundle);
    await sleep(5000);
    const fromBundle = await idleCost(bundle.pid!, IDLE_S);
    printRow('bundle (npm run build): CPU', `${fromBundle.cpuPercent.toFixed(2)} % of a core`, '≤ 1 %');
    printRow('bundle (npm run build): RSS end / max', `${fromBundle.rssMb.toFixed(0)} / ${fromBundle.maxRssMb.toFixed(0)} MB`, '≤ 80 MB');
    bundle.kill('SIGTERM');

    await builtAgents(server, join(dir, 'bench.db'), dir);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
