import { resolve, win32 } from 'node:path';
import { DEFAULT_ATTUNE_PROCESS } from './attune-process.ts';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';

export interface AgentConfig {
  /** The Attune software's logs folder. */
  logsDir: string;
  /** The server's base URL. */
  serverUrl: string;
  instrumentId: string;
  token: string;
  /** Checkpoints, outbox and lock live here. */
  stateDir: string;
  /** The instrument PC's time zone (its logs carry local times); absent: this machine's. */
  timeZone?: string;
  /** How often the logs folder is looked at (the issue asks for at most 250 ms). */
  pollMs: number;
  heartbeatMs: number;
  /** Reading pauses while the outbox holds this many bytes. */
  outboxMaxBytes: number;
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  /** After the server rejects events with a 4xx: wait this long before trying again. */
  rejectedRetryMs: number;
  /** Part of the Attune software's process image name (Windows). */
  attuneProcess: string;
  /** Bytes read from a log per step while catching up. */
  chunkBytes: number;
}

export const AGENT_DEFAULTS = {
  pollMs: 250,
  heartbeatMs: 10_000,
  outboxMaxBytes: 256 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  backoff: DEFAULT_BACKOFF,
  rejectedRetryMs: 5 * 60_000,
  attuneProcess: DEFAULT_ATTUNE_PROCESS,
  chunkBytes: 1024 * 1024,
} satisfies Partial<AgentConfig>;

/**
 * Where the agent keeps its state unless told: on Windows the machine-wide data folder (a service
 * runs as a system account with no useful home or working folder); elsewhere under ./data.
 */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  if (platform === 'win32') return win32.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'attune-monitor', 'agent');
  return resolve(cwd, 'data', 'agent-state');
}
