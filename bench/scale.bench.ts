import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localToUtcConverter } from '../src/events/local-time.ts';
import type { LogEvent } from '../src/events/log-events.ts';
import { listLogFiles } from '../src/logs/log-file-set.ts';
import { readLogFiles } from '../src/logs/read-log-files.ts';
import { EVENTS_PATH } from '../src/protocol/api-paths.ts';
import { rawLinesOf } from '../src/store/import-log-files.ts';
import { openDatabase } from '../src/store/database.ts';
import { TokenStore } from '../src/store/token-store.ts';
import { FIXTURE_LOG } from './big-log.ts';

// `npm run bench -- scale`: AGENTS (50) simulated agents against one server process on 127.0.0.1,
// each shipping the real log at its real line rate (from a random point of it, so bursts overlap
// as they would), batched as the agent batches (what one poll of 250 ms found). Bounded: it stops
// after SCALE_BENCH_S seconds (60). Measured: the server's CPU (from /proc), the latency from a
// line's time to the live feed's change that shows it (GET /api/v1/stream), and the database's
// growth. SCALE_SPEEDUP (1) plays the logs that many times faster.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/attune-monitor.js');
const AGENTS = Number(process.env.SCALE_AGENTS ?? 50);
const SECONDS = Number(process.env.SCALE_BENCH_S ?? 60);
const SPEEDUP = Number(process.env.SCALE_SPEEDUP ?? 1);
const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Item {
  event: LogEvent;
  raw: string | null;
  /** ms after the log's first line. */
  dueMs: number;
}

/** The real log as an agent ships it: each event with its line, and when the line was written. */
function logItems(): Item[] {
  const items: Item[] = [];
  readLogFiles(listLogFiles([fileURLToPath(FIXTURE_LOG)]), {
    toUtc: localToUtcConverter('UTC'),
    endNewest: false,
    onEvents: (events, lines) => {
      const raws = rawLinesOf(events, lines);
      events.forEach((event, i) => items.push({ event, raw: raws[i] ?? null, dueMs: 0 }));
    },
  });
  const first = Date.parse(items[0]!.event.at);
  for (const item of items) item.dueMs = (Date.parse(item.event.at) - first) / SPEEDUP;
  return items;
}

function serverTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function scaleBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-scale-'));
  const dbPath = join(dir, 'monitor.db');
  const instruments = Array.from({ length: AGENTS }, (_, i) => `scale-${String(i + 1).padStart(2, '0')}`);
  const db = openDatabase(dbPath);
  const tokens = new TokenStore(db);
  const tokenOf = new Map(instruments.map((id) => [id, tokens.create(id).token]));
  db.close();
  const items = logItems();
  const logSpanMs = items[items.length - 1]!.dueMs;

  let server: ChildProcess | null = null;
  const stream = new AbortController();
  try {
    server = spawn(process.execPath, [CLI, 'server', '--db', dbPath, '--port', '0', '--host', '127.0.0.1'], {
      cwd: dir,
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_'))),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /"url":"(http:[^"]+)"/.exec(text);
        if (found) resolve(found[1] as string);
      });
      server!.once('exit', (code) => reject(new Error(`server exited (${code}): ${text}`)));
    });

    // The feed: when each instrument's status reached each event time.
    const waiting = new Map<string, Array<{ at: string; sentAt: number; dueAt: number }>>();
    const latencies: number[] = [];
    const feed = (async () => {
      const response = await fetch(`${url}/api/v1/stream`, { signal: stream.signal });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (!message.startsWith('event: change') || data === undefined) continue;
          const change = JSON.parse(data) as { type: string; view?: { id: string; status: { asOf: string | null } } };
          if (change.type !== 'instrument_changed' || !change.view) continue;
          const pending = waiting.get(change.view.id);
          const asOf = change.view.status.asOf;
          while (pending !== undefined && pending.length > 0 && asOf !== null && pending[0]!.at <= asOf) latencies.push(performance.now() - pending.shift()!.dueAt);
        }
      }
    })().catch((error: unknown) => {
      if (!stream.signal.aborted) throw error;
    });
    await sleep(500);

    const sizeBefore = statSync(dbPath).size;
    const ticksBefore = serverTicks(server.pid!);
    const started = performance.now();
    let posted = 0;
    let failures = 0;
    const agent = async (instrumentId: string) => {
      // From a random point of the log: the agents' bursts fall at different moments.
      const startMs = Math.random() * Math.max(0, logSpanMs - SECONDS * 1000);
      let next = items.findIndex((item) => item.dueMs >= startMs);
      const headers = { authorization: `Bearer ${tokenOf.get(instrumentId)}`, 'content-type': 'application/json' };
      while (performance.now() - started < SECONDS * 1000 && next < items.length) {
        await sleep(POLL_MS);
        const now = performance.now() - started + startMs;
        const batch: Item[] = [];
        while (next < items.length && items[next]!.dueMs <= now) batch.push(items[next++]!);
        if (batch.length === 0) continue;
        const last = batch[batch.length - 1]!;
        const list = waiting.get(instrumentId) ?? [];
        waiting.set(instrumentId, list);
        // The line was written when it fell due; the agent saw it at its next poll.
        const dueAt = started + (last.dueMs - startMs);
        if (last.event.type !== 'instrument_fact' && last.event.type !== 'line_unparsed') list.push({ at: last.event.at, sentAt: performance.now(), dueAt });
        const body = JSON.stringify({ instrument_id: instrumentId, events: batch.map(({ event, raw }) => ({ event, raw })) });
        const response = await fetch(`${url}${EVENTS_PATH}`, { method: 'POST', headers, body });
        if (!response.ok) failures++;
        await response.arrayBuffer();
        posted += batch.length;
      }
    };
    await Promise.all(instruments.map(agent));
    const elapsed = (performance.now() - started) / 1000;
    await sleep(1000);
    const cpuS = (serverTicks(server.pid!) - ticksBefore) / 100;
    const growth = statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0) - sizeBefore;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
    console.log(`\nScale: ${AGENTS} simulated agents, the real log at ${SPEEDUP}× its line rate, ${elapsed.toFixed(0)} s, one server on 127.0.0.1`);
    console.log(`  events posted ${posted.toLocaleString('en-US')} (${(posted / elapsed).toFixed(1)}/s), failed requests ${failures}`);
    console.log(`  server CPU: ${((cpuS / elapsed) * 100).toFixed(1)} % of one core (${cpuS.toFixed(1)} s)`);
    console.log(`  line → live feed: p50 ${pct(0.5).toFixed(0)} ms, p99 ${pct(0.99).toFixed(0)} ms, max ${pct(1).toFixed(0)} ms (${latencies.length} batches; includes up to ${POLL_MS} ms of agent poll)`);
    console.log(`  database growth: ${(growth / 1e6).toFixed(2)} MB for ${posted.toLocaleString('en-US')} events (${(growth / Math.max(1, posted)).toFixed(0)} bytes/event, WAL included)`);
    stream.abort();
    await feed;
  } finally {
    stream.abort();
    if (server !== null && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
