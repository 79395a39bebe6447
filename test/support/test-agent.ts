import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AGENT_DEFAULTS, type AgentConfig } from '../../src/agent/agent-config.ts';
import { startAgent, type AgentDeps, type RunningAgent } from '../../src/agent/agent.ts';

// Runs the agent in-process with short intervals (time is configuration, so tests do not sleep
// long) and keeps its structured log lines for assertions.

export const TEST_INSTRUMENT = 'nxt-1';
export const TEST_TOKEN = 'token-nxt-1';
export const TEST_ZONE = 'Europe/Berlin';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestAgent {
  agent: RunningAgent;
  logs: LogLine[];
  stop(): Promise<void>;
}

export function fastConfig(logsDir: string, stateDir: string, serverUrl: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return {
    ...AGENT_DEFAULTS,
    logsDir,
    stateDir,
    serverUrl,
    instrumentId: TEST_INSTRUMENT,
    token: TEST_TOKEN,
    timeZone: TEST_ZONE,
    pollMs: 20,
    heartbeatMs: 100,
    requestTimeoutMs: 2000,
    backoff: { baseMs: 20, maxMs: 200 },
    rejectedRetryMs: 500,
    // Small chunks: catching up the fixture takes several steps, as a big backlog would.
    chunkBytes: 16 * 1024,
    ...overrides,
  };
}

export async function startTestAgent(config: AgentConfig, deps: Partial<AgentDeps> = {}): Promise<TestAgent> {
  const logs: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const agent = await startAgent(config, { log, detectAttune: async () => 'unknown', ...deps });
  return { agent, logs, stop: () => agent.stop() };
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `attune-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
