import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './agent-process.ts';
import { runCli } from './run-cli.ts';
import { waitFor } from './wait-for.ts';

// The server as a real process: `node bin/attune-monitor.js server …` on 127.0.0.1, stopped with
// SIGTERM (a clean stop) or SIGKILL, restarted on the same port and database.

export interface ServerProcessOptions {
  /** Its working folder (where it reads a `.env`); default: an empty folder of its own, so a developer's `.env` never reaches a test. */
  cwd?: string;
  /** Added to the environment, from which every SLACK_* setting of the machine is removed first. */
  env?: Record<string, string>;
}

/** This environment without Slack settings: a test server starts Slack only when the test says so. */
function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_'))), ...extra };
}

export class ServerProcess {
  readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], options: ServerProcessOptions = {}) {
    const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'attune-server-cwd-'));
    this.child = spawn(process.execPath, [BIN, 'server', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd, env: serverEnv(options.env) });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `server --db DB --host 127.0.0.1 --port PORT` and waits until it listens. */
  static async start(db: string, port = 0, extra: readonly string[] = [], options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const server = new ServerProcess(['--db', db, '--host', '127.0.0.1', '--port', String(port), ...extra], options);
    try {
      await waitFor('the server to listen', () => server.url !== null || !server.running, 30_000);
    } catch (error) {
      await server.kill('SIGKILL');
      throw error;
    }
    if (server.url === null) throw new Error(`the server did not start:\n${server.tail()}`);
    return server;
  }

  /** Where it listens, from its "listening on" log line. */
  get url(): string | null {
    return /"url":"(http:\/\/[^"]+)"/.exec(this.output.join(''))?.[1] ?? null;
  }

  get port(): number {
    return Number(new URL(this.url!).port);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  tail(lines = 20): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }
}

/** `attune-monitor token create`, returning the token (the last line of its output). */
export function createToken(db: string, instrument: string): string {
  const result = runCli(['token', 'create', '--db', db, '--instrument', instrument]);
  if (result.status !== 0) throw new Error(`token create failed: ${result.stderr}`);
  return result.stdout.trimEnd().split('\n').at(-1)!;
}

/** An agent's heartbeat to a server process, as `attune-monitor agent` sends it (nothing followed yet). */
export async function sendHeartbeat(url: string, agentToken: string, instrumentId: string): Promise<Response> {
  const body = {
    instrument_id: instrumentId,
    agent_version: '0.1.0',
    host_name: 'ATTUNE-PC',
    uptime_s: 12,
    logs_dir: 'D:\\AttuneLogs',
    logs_dir_readable: true,
    following: null,
    last_line_at: null,
    attune_running: true,
    outbox_depth: 0,
    outbox_bytes: 0,
    last_error: null,
    sent_at: new Date().toISOString(),
  };
  return fetch(`${url}/api/v1/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` }, body: JSON.stringify(body) });
}
