import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { apiInstrumentSchema } from '../../src/server/api-schemas.ts';
import type { SqliteDatabase } from '../../src/store/database.ts';
import { dirname } from 'node:path';
import { AgentProcess } from '../support/agent-process.ts';
import { alone, freshBundle, linuxExecutable } from '../support/agent-build.ts';
import { FIXTURE_NAME, FIXTURE_URL, localTime, LogFileWriter, logFileName, randomPieces, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { logEventRows, logProjections } from '../support/comparable-rows.ts';
import { expectedEvents } from '../support/expected-events.ts';
import { runCli } from '../support/run-cli.ts';
import { createToken, ServerProcess } from '../support/server-process.ts';
import { tempDir, TEST_ZONE } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

// The whole live path as it runs in a lab: `attune-monitor token create`, a real server process, a
// real agent process following a logs folder a writer appends to, the way the Attune software
// does. Agent and server are stopped, killed and restarted along the way; at the end the server's
// rows must be those `attune-monitor import` of the same files writes into a fresh database.
// The agent runs in three forms: from the sources, and as the instrument PC gets it from
// `npm run build:agent`: the one-file agent (on this Node) and the Linux single executable (Node
// 24 inside), each copied alone into an empty folder and started there.

const INSTRUMENT = 'nxt-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const processes: Array<AgentProcess | ServerProcess> = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const child of processes.splice(0)) await child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function readOnly<T>(path: string, work: (db: SqliteDatabase) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** How the agent is started: the program and what comes before its options. */
type AgentForm = (parent: string) => Promise<{ command?: string[]; cwd?: string }>;
const AGENT_FORMS: Array<[string, AgentForm]> = [
  ['from the sources', async () => ({})],
  ['as the one-file agent, alone in a folder', async (parent) => {
    const file = alone((await freshBundle()).file, 'attune-agent.cjs', parent);
    return { command: [process.execPath, file, 'run'], cwd: dirname(file) };
  }],
  ['as the Linux single executable, alone in a folder', async (parent) => {
    const exe = alone(await linuxExecutable(), 'attune-agent', parent);
    return { command: [exe, 'run'], cwd: dirname(exe) };
  }],
];

describe.each(AGENT_FORMS)('server and agent (%s) as processes, with a writer appending to real files', (_form, agentForm) => {
  it('stores every line once through relaunches, a missing folder, restarts, kill -9 and truncation: the rows of an import', { timeout: 180_000 }, async () => {
    const seed = Number(process.env.LIVE_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`live e2e: seed ${seed} (rerun with LIVE_E2E_SEED=${seed})`);
    const random = seededRandom(seed);
    const dir = tempDir('live-e2e');
    cleanups.push(dir.cleanup);
    const db = join(dir.path, 'monitor.db');
    const logsDir = join(dir.path, 'logs');
    const stateDir = join(dir.path, 'state');
    const token = createToken(db, INSTRUMENT);
    const agentLaunch = await agentForm(dir.path);

    const serverArgs = ['--heartbeat-interval-s', '0.2', '--grace-s', '1'];
    let server = await ServerProcess.start(db, 0, serverArgs);
    processes.push(server);
    const port = server.port;
    const url = server.url!;
    const startAgent = async () => {
      const agent = new AgentProcess(
        ['--logs', logsDir, '--server', url, '--instrument', INSTRUMENT, '--state-dir', stateDir, '--timezone', TEST_ZONE, '--poll-ms', '20', '--heartbeat-s', '0.2'],
        { ...agentLaunch, env: { ATTUNE_AGENT_TOKEN: token } },
      );
      processes.push(agent);
      await agent.started();
      return agent;
    };
    const instrument = async () => apiInstrumentSchema.parse(await (await fetch(`${url}/api/v1/instruments/${INSTRUMENT}`)).json());
    const stored = () => readOnly(db, (handle) => handle.prepare("SELECT count(*) FROM events WHERE log_file IS NOT NULL AND instrument_id = 'nxt-1'").pluck().get() as number);
    const delivered = async (what: string) => {
      const expected = expectedEvents(logsDir, TEST_ZONE).size;
      await waitFor(`${what}: ${expected} events stored`, () => stored() >= expected, 30_000, 50);
      expect(stored(), what).toBe(expected);
    };
    const write = async (file: LogFileWriter, bytes: Buffer, maxPiece: number, during?: { at: number; action: () => Promise<void> }) => {
      const pieces = randomPieces(bytes, random, maxPiece);
      for (const [i, piece] of pieces.entries()) {
        file.append(piece);
        if (during !== undefined && i === Math.floor(during.at * pieces.length)) await during.action();
        await sleep(random() * 30);
      }
    };
    const killAndRestart = async (what: string) => {
      const exit = await agent.kill('SIGKILL');
      expect(exit.signal, what).toBe('SIGKILL');
      agent = await startAgent();
    };

    // The logs folder does not exist yet: the agent waits and says so; the server shows it.
    let agent = await startAgent();
    await waitFor('the missing folder in the API', async () => (await instrument()).connectivity.state === 'agent_error', 10_000);
    expect((await instrument()).connectivity.reason).toMatch(/cannot read the logs folder/);

    // It appears; the real log is written in pieces cut anywhere, and the agent is killed midway.
    mkdirSync(logsDir);
    const first = new LogFileWriter(logsDir, FIXTURE_NAME);
    await write(first, readFileSync(FIXTURE_URL), 8000, { at: random(), action: () => killAndRestart('kill -9 while the first log is written') });
    await delivered('the first log');
    await waitFor('the agent online', async () => (await instrument()).connectivity.state === 'online', 10_000);

    // Two relaunches in a row; the server is stopped during the second and comes back later.
    let launch = localTime('2020-09-12T08:00:00');
    const relaunch = async (during?: { at: number; action: () => Promise<void> }) => {
      const file = new LogFileWriter(logsDir, logFileName(launch), { bom: random() < 0.3 });
      const { lines, end } = sessionLines(launch, random);
      await write(file, Buffer.from(`${lines.join('\r\n')}\r\n`), 300, during);
      launch = new Date(end.getTime() + 60_000);
      return file;
    };
    await relaunch();
    await relaunch({
      at: random(),
      action: async () => {
        expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      },
    });
    await sleep(500);
    server = await ServerProcess.start(db, port, serverArgs);
    processes.push(server);
    await delivered('after the server came back');

    // The agent is stopped; meanwhile the software writes on and is relaunched.
    expect(await agent.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    const { lines } = sessionLines(launch, random);
    const whileDown = await relaunch();
    whileDown.appendLines(lines.slice(0, 3));
    agent = await startAgent();
    await delivered('the relaunch while the agent was down');

    // The newest file is truncated and written again (the same lines, then more), with a kill -9 meanwhile.
    const before = readFileSync(whileDown.path);
    writeFileSync(whileDown.path, '');
    await sleep(100);
    await write(whileDown, Buffer.concat([before, Buffer.from(`${lines.slice(3).join('\r\n')}\r\n`)]), 500, { at: random(), action: () => killAndRestart('kill -9 while the truncated file is written again') });
    // A last line still being written: not shipped until its end comes.
    whileDown.append(lines[0]!.slice(0, 25));
    await delivered('the truncated file written again');

    // The yardstick: a fresh import of the same files by the CLI.
    const fresh = join(dir.path, 'imported.db');
    const imported = runCli(['import', '--db', fresh, '--instrument', INSTRUMENT, '--timezone', TEST_ZONE, logsDir]);
    expect(imported.status, imported.stderr).toBe(0);
    const server_ = readOnly(db, (handle) => ({ events: logEventRows(handle), projections: logProjections(handle) }));
    const reference = readOnly(fresh, (handle) => ({ events: logEventRows(handle), projections: logProjections(handle) }));
    expect(server_.events.length).toBeGreaterThan(1000);
    expect(server_.events).toEqual(reference.events);
    expect(server_.projections).toEqual(reference.projections);

    // Connectivity changes were stored as events along the way (the folder, the outage, the kills).
    const changes = readOnly(db, (handle) => handle.prepare("SELECT count(*) FROM events WHERE type = 'connectivity_changed'").pluck().get() as number);
    expect(changes).toBeGreaterThanOrEqual(2);
    expect((await instrument()).status.software.logFile).toBe(whileDown.name);

    expect(await agent.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
