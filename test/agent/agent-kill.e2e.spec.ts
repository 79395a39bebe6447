import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTime, LogFileWriter, logFileName, randomPieces, repeatedFixture, seededRandom, sessionLines } from '../support/attune-log-writer.ts';
import { AgentProcess } from '../support/agent-process.ts';
import { AgentScenario } from '../support/agent-scenario.ts';
import type { RealIngestServer } from '../support/real-ingest-server.ts';
import { TEST_INSTRUMENT, TEST_TOKEN, TEST_ZONE } from '../support/test-agent.ts';
import { waitFor } from '../support/wait-for.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('agent process killed with SIGKILL at random moments', () => {
  let world: AgentScenario<RealIngestServer>;
  let agent: AgentProcess | null = null;

  beforeEach(async () => {
    world = await AgentScenario.withRealServer('kill');
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

    // Five kills at moments of three kinds, in a seeded order: while starting, at a random time
    // after start, and just after the server stored a batch (before the agent can record that it
    // did): the moment that tests "re-sent, never lost". Delays are random within each kind.
    const kinds = ['start-up', 'after start', 'after a delivery', 'after a delivery', 'after start'].sort(() => random() - 0.5);
    const progress: string[] = [];
    for (const kind of kinds) {
      const running = new AgentProcess(args());
      agent = running;
      let moment: string;
      if (kind === 'start-up') {
        const after = Math.round(random() * 1000);
        moment = `${after} ms after spawn`;
        await sleep(after);
      } else if (kind === 'after start') {
        await running.started();
        const after = Math.round(random() * 1200);
        moment = `${after} ms after start`;
        await sleep(after);
      } else {
        await running.started();
        const delivered = world.server.requests.filter((r) => r.status === 200 && r.events > 0).length;
        await waitFor('a delivery', () => world.server.requests.filter((r) => r.status === 200 && r.events > 0).length > delivered, 20_000);
        const after = Math.round(random() * 20);
        moment = `${after} ms after a delivery`;
        await sleep(after);
      }
      const exit = await running.kill('SIGKILL');
      expect(exit.signal, running.tail()).toBe('SIGKILL');
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
    world.expectSameRowsAsImport();
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
