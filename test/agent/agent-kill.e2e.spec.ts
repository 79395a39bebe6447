import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTime, LogFileWriter, logFileName, randomPieces, repeatedFixture, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { AgentProcess } from '../support/agent-process.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import { TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE } from '../support/test-agent.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('agent process killed with SIGKILL at random moments', () => {
  let world: AgentScenario;
  let agent: AgentProcess | null = null;

  beforeEach(async () => {
    world = await AgentScenario.create('kill');
  });

  afterEach(async () => {
    await agent?.kill('SIGKILL');
    await world.dispose();
  });

  const args = () => [
    ...['--logs', world.logsDir, '--server', world.server.url, '--instrument', TEST_INSTRUMENT, '--token', TEST_TOKEN],
    ...['--state-dir', world.stateDir, '--timezone', TEST_ZONE, '--poll-ms', '20', '--heartbeat-s', '0.2'],
  ];

  it('loses and doubles nothing across repeated kill -9 while the logs are written and relaunched', async () => {
    const seed = Number(process.env.AGENT_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`agent kill -9 test: seed ${seed} (rerun with AGENT_KILL_SEED=${seed})`);
    const random = seededRandom(seed);

    // The writer: a long first log in random pieces, then relaunches, while the agent dies and restarts.
    let writing = true;
    const writer = (async () => {
      const first = new LogFileWriter(world.logsDir, 'System_2020-09-11_12-26-48.log');
      for (const piece of randomPieces(repeatedFixture(3), random, 16 * 1024)) {
        first.append(piece);
        await sleep(random() * 100);
      }
      // Relaunches until the kills are over: each new file in small pieces, cut anywhere.
      let launch = localTime('2020-09-20T08:00:00');
      for (let i = 0; i < 20 && writing; i++) {
        const file = new LogFileWriter(world.logsDir, logFileName(launch));
        const { lines, end } = sessionLines(launch, random);
        for (const piece of randomPieces(Buffer.from(`${lines.join('\r\n')}\r\n`), random, 400)) {
          file.append(piece);
          await sleep(random() * 100);
        }
        launch = new Date(end.getTime() + 60_000);
      }
    })();

    const progress: string[] = [];
    for (let kill = 0; kill < 5; kill++) {
      agent = new AgentProcess(args());
      const started = agent;
      let moment: string;
      if (random() < 0.2) {
        moment = 'during start-up';
        await sleep(random() * 1000);
      } else {
        await started.started();
        const after = Math.round(random() * 1200);
        moment = `${after} ms after start`;
        await sleep(after);
      }
      const exit = await agent.kill('SIGKILL');
      expect(exit.signal, agent.tail()).toBe('SIGKILL');
      progress.push(`killed ${moment}: ${world.stored().size} events stored`);
      if (random() < 0.5) await sleep(random() * 300);
    }
    writing = false;
    await writer;

    agent = new AgentProcess(args());
    const last = agent;
    try {
      await last.started();
      await world.expectDelivered(false, 30_000);
    } catch (error) {
      console.log(agent.tail(40));
      throw error;
    }
    console.log(`${progress.join('; ')}; finally ${world.stored().size} (${world.server.duplicates} duplicates absorbed)`);
    // Several relaunches were ended along the way.
    expect([...world.stored().values()].filter((s) => s.event.type === 'log_ended').length).toBeGreaterThanOrEqual(1);

    // SIGTERM: a clean stop, exit code 0, the state folder unlocked and its checkpoints saved.
    const exit = await agent.kill('SIGTERM');
    expect(exit, agent.tail()).toEqual({ code: 0, signal: null });
    expect(agent.output.join('')).toContain('"msg":"agent stopped"');
    expect(existsSync(join(world.stateDir, 'agent.lock'))).toBe(false);
    const checkpoints = JSON.parse(readFileSync(join(world.stateDir, 'checkpoints.json'), 'utf8')) as { files: Array<{ name: string; ended: boolean }> };
    expect(checkpoints.files.filter((f) => !f.ended)).toHaveLength(1);
  });
});
