import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_NAME, FIXTURE_URL, LogFileWriter } from '../support/attune-log-writer.ts';
import { AgentProcess, BUNDLE } from '../support/agent-process.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

// The Windows service runs the bundle `npm run build` writes (plain JavaScript: no TypeScript
// loader thread, which costs memory and idle CPU on the instrument PC). It must do what the
// sources do.

describe('the agent built into plain JavaScript', () => {
  let world: AgentScenario;
  let agent: AgentProcess | null = null;

  beforeEach(async () => {
    world = await AgentScenario.create('bundle');
  });

  afterEach(async () => {
    await agent?.kill('SIGKILL');
    await world.dispose();
  });

  it('builds, ships the logs, reports its version, and stops cleanly', async () => {
    const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', cwd: new URL('../..', import.meta.url), timeout: 60_000, shell: process.platform === 'win32' });
    expect(build.status, build.stderr).toBe(0);
    new LogFileWriter(world.logsDir, FIXTURE_NAME).append(readFileSync(FIXTURE_URL));
    // The token comes from the environment, as a service would give it (not in the process list).
    const args = ['--logs', world.logsDir, '--server', world.server.url, '--instrument', TEST_INSTRUMENT, '--state-dir', world.stateDir, '--timezone', TEST_ZONE, '--heartbeat-s', '0.2'];
    const running = new AgentProcess(args, { entry: BUNDLE, env: { ATTUNE_AGENT_TOKEN: TEST_TOKEN } });
    agent = running;
    await running.started().catch((error: unknown) => {
      throw new Error(`${String(error)}\n${running.tail()}`);
    });
    await world.expectDelivered();
    await waitFor('a heartbeat', () => world.server.heartbeats.length > 0);
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(world.server.heartbeats[0]!.agent_version).toBe(version);
    expect(await agent.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
