import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/run-cli.ts';
import { waitFor } from '../support/wait-for.ts';
import { tempDir } from '../store/store-test-kit.ts';

// `attune-monitor demo` as a newcomer runs it (`npm start`): its own process, a real agent
// child, a real server; then Ctrl-C (SIGINT) must leave no process behind.

interface InstrumentsAnswer {
  instruments: Array<{ id: string; status: { asOf: string | null; software: { logFile: string | null } }; connectivity: { state: string } }>;
}

/** The agent processes among a process's children (tsx may also have an esbuild helper running for it). */
function agentsOf(pid: number): number[] {
  const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n');
  return children.filter((line) => line.includes(' agent --logs ')).map((line) => Number.parseInt(line, 10));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the demo', () => {
  it('runs the server, a live demo log and a real agent, prints the URLs, and stops every process on Ctrl-C', async () => {
    const data = tempDir();
    const demo = spawn(process.execPath, [CLI, 'demo', '--port', '0', '--data-dir', data, '--speed', '600', '--history-days', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    demo.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    let agentPid: number | null = null;
    try {
      await waitFor('the demo to print its URLs', () => /Dashboard +http:\/\/127\.0\.0\.1:\d+\//.test(out), 60_000);
      const url = /Dashboard +(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
      expect(out).toContain('What you are seeing:');
      expect(out).toContain('Press Ctrl-C');

      // The live instrument's status came through the agent; the history was imported.
      let answer: InstrumentsAnswer = { instruments: [] };
      await waitFor(
        'the agent to ship the demo log',
        async () => {
          answer = (await (await fetch(`${url}/api/v1/instruments`)).json()) as InstrumentsAnswer;
          const live = answer.instruments.find((one) => one.id === 'attune-demo');
          return live?.connectivity.state === 'online' && live.status.asOf !== null;
        },
        30_000,
        200,
      );
      expect(answer.instruments.map((one) => one.id).sort()).toEqual(['attune-demo', 'attune-history']);
      expect((await fetch(`${url}/`)).status).toBe(200);
      // Three past launches and the live one.
      expect(readdirSync(join(data, 'demo-logs')).filter((name) => name.startsWith('System_')).length).toBeGreaterThanOrEqual(4);

      const agents = agentsOf(demo.pid!);
      expect(agents).toHaveLength(1);
      agentPid = agents[0]!;

      // Only the demo gets the signal (not its process group): it must stop its agent itself.
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Stopped.');
      expect(alive(agentPid)).toBe(false);
    } finally {
      // A failed test leaves nothing running either.
      const left = demo.exitCode === null ? agentsOf(demo.pid!) : [];
      if (demo.exitCode === null) demo.kill('SIGKILL');
      for (const pid of [...left, ...(agentPid === null ? [] : [agentPid])]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
