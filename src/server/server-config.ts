/** How the server judges connectivity and what counts as history (all times in ms). */
export interface ServerConfig {
  /** How often agents send heartbeats (the agent's --heartbeat-s). */
  heartbeatIntervalMs: number;
  /** How long an overdue heartbeat is waited for before the instrument is offline. */
  graceMs: number;
  /** A run is open and the log has been silent this long: the Attune software is silent. */
  silentAfterMs: number;
  /** The agent reports a problem (last_error) without a break this long: agent_error. */
  errorAfterMs: number;
  /** An event older than this when it reaches the server is history: its alerts are never posted. */
  historicAfterMs: number;
  /** How often every instrument is looked at again (connectivity, countdowns). */
  evaluateEveryMs: number;
}

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
