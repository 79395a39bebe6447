import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.ts';

// The agent as a real process: `node bin/attune-monitor.js agent …` (or the bundle `npm run build`
// writes), to be killed with SIGKILL (nothing gets to run: no flush, no cleanup) or stopped with
// SIGTERM.

export const BIN = fileURLToPath(new URL('../../bin/attune-monitor.js', import.meta.url));
export const BUNDLE = fileURLToPath(new URL('../../dist/attune-monitor.mjs', import.meta.url));

export class AgentProcess {
  readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /**
   * `command`: how the agent is started, before its arguments: by default `node bin/attune-monitor.js
   * agent` (or `node <entry> agent`); the built agent is `[node, attune-agent.cjs, 'run']` or
   * `[attune-agent-linux-x64, 'run']`.
   */
  constructor(args: readonly string[], options: { entry?: string; command?: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    const [program, ...leading] = options.command ?? [process.execPath, options.entry ?? BIN, 'agent'];
    this.child = spawn(program!, [...leading, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: { ...process.env, ...options.env } });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** Resolves once it logged that it started. */
  started(timeoutMs = 20_000): Promise<void> {
    return waitFor('the agent to start', () => this.output.join('').includes('"msg":"agent started"'), timeoutMs);
  }

  /** The last lines it printed (for a failing test's message). */
  tail(lines = 20): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }
}
