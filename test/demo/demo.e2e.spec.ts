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

      const children = spawnSync('pgrep', ['-P', String(demo.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
      expect(children).toHaveLength(1);
      agentPid = children[0]!;
      expect(spawnSync('ps', ['-o', 'args=', '-p', String(agentPid)], { encoding: 'utf8' }).stdout).toContain(' agent --logs ');

      // Only the demo gets the signal (not its process group): it must stop its agent itself.
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Stopped.');
      expect(alive(agentPid)).toBe(false);
    } finally {
      if (demo.exitCode === null) demo.kill('SIGKILL');
      if (agentPid !== null && alive(agentPid)) process.kill(agentPid, 'SIGKILL');
    }
  });
});
