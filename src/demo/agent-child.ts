import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/attune-monitor.js', import.meta.url));

export interface AgentChildOptions {
  logsDir: string;
  serverUrl: string;
  instrumentId: string;
  token: string;
  stateDir: string;
  /** Where its structured log goes (kept off the demo's console). */
  logFile: string;
}

/**
 * A real `attune-monitor agent` process, as a lab runs one beside the instrument: the demo's
 * server hears of the log only through it. The token goes in the environment, not on the command
 * line where every user of the machine could read it.
 */
export class AgentChild {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(options: AgentChildOptions) {
    const log = openSync(options.logFile, 'a');
    try {
      const args = [BIN, 'agent', '--logs', options.logsDir, '--server', options.serverUrl, '--instrument', options.instrumentId, '--state-dir', options.stateDir, '--timezone', 'UTC'];
      this.child = spawn(process.execPath, args, { stdio: ['ignore', log, log], env: { ...process.env, ATTUNE_AGENT_TOKEN: options.token } });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks it to stop (SIGTERM: it flushes its outbox and checkpoints), and kills it if it has not within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
