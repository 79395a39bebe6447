import type { LiveFeedConfig } from '../live/live-feed.ts';

/** How the server judges connectivity and what counts as history (all times in ms). */
export type ServerConfig = LiveFeedConfig;

export const SERVER_DEFAULTS: ServerConfig = {
  heartbeatIntervalMs: 10_000,
  graceMs: 30_000,
  // The longest quiet stretch inside a run of the real log is 140 s (a Calibration step).
  silentAfterMs: 5 * 60_000,
  // An agent's sender backs off up to 60 s: a server that just came back is still "unreachable"
  // in its report for up to a minute, which is no trouble of the agent's.
  errorAfterMs: 90_000,
  historicAfterMs: 5 * 60_000,
  evaluateEveryMs: 2_000,
};

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;
