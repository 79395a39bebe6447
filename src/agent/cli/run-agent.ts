import { pino } from 'pino';
import type { AgentConfig } from '../agent-config.ts';
import { startAgent } from '../agent.ts';
import { StateMismatchError } from '../checkpoint-store.ts';
import { StateLockedError } from '../state-lock.ts';

/** The agent can start no further: the message says why (the state folder is taken or belongs to another instrument). */
export class AgentStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentStartError';
  }
}

/**
 * Runs the agent until SIGINT/SIGTERM (Ctrl+C, a service manager stopping it, the Windows service
 * wrapper's Ctrl+C), then finishes the step in progress, saves its checkpoints and returns.
 */
export async function runAgent(config: AgentConfig, verbose: boolean): Promise<void> {
  const log = pino({ level: verbose ? 'debug' : 'info', timestamp: pino.stdTimeFunctions.isoTime });
  // Listening before the agent starts: a stop asked for during start-up still ends cleanly.
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];
  const stopAsked = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve(signal));
  });
  let agent;
  try {
    agent = await startAgent(config, { log });
  } catch (error) {
    if (error instanceof StateLockedError || error instanceof StateMismatchError) throw new AgentStartError(error.message);
    throw error;
  }
  log.info({ signal: await stopAsked }, 'stopping');
  await agent.stop();
  log.flush();
}
