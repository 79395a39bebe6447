import type { InstrumentStatus } from '../machines/instrument-status.ts';
import type { Connectivity, ConnectivityConfig } from './connectivity.ts';

// The connectivity rules in one place: how the server tells "PC off or agent
// dead" from "agent fine, Attune software silent" from "agent in trouble". Pure: the watcher
// (connectivity-watcher.ts) gathers the facts and the time, this decides.

/** What the latest heartbeat said, and when it arrived (server clock, ms). */
export interface HeartbeatFacts {
  receivedAt: number;
  logsDirReadable: boolean;
  attuneRunning: boolean | 'unknown';
  lastError: string | null;
  /** Since when (server clock) the agent reports a last_error without a break; null when none. */
  lastErrorSince: number | null;
}

export interface ConnectivityFacts {
  /** The latest heartbeat; null when the instrument's agent never sent one. */
  heartbeat: HeartbeatFacts | null;
  /** When (server clock) the log last showed life: an event stored, or the agent reading a line. */
  lastLogAt: number | null;
  /** The instrument's status (from its log): is a run open and not waiting for the user? */
  status: Pick<InstrumentStatus, 'run'> | null;
  /** When this server process started: agents get a full grace period to report after it. */
  serverStartedAt: number;
  now: number;
  /** The state before this evaluation (null when none was ever recorded). */
  previous: Connectivity | null;
}

export interface ConnectivityVerdict {
  state: Connectivity;
  /** In words for people; null when all is well. No durations: it stays true while the state lasts. */
  reason: string | null;
}

/**
 * Decides an instrument's connectivity, first rule that holds:
 * 1. `unknown`: no heartbeat was ever received.
 * 2. `offline`: no heartbeat for longer than interval + grace, counted from the later of the last
 *    heartbeat and the server's start (a server that was down gives agents a full grace period
 *    first). An instrument already offline before the server restarted stays offline meanwhile.
 * 3. `agent_error`: the agent cannot read the logs folder, or has reported a problem for longer
 *    than `errorAfterMs` (short problems, like the server being away, heal by themselves).
 * 4. `software_silent`: the agent sees no Attune software process, or a run is open (not waiting
 *    for the user) and the log has been silent for longer than `silentAfterMs`.
 * 5. `late`: the heartbeat is overdue (1.5 intervals) but within grace.
 * 6. `online`.
 * Rules 3–4 read the latest heartbeat even when it is late: the best knowledge there is.
 */
export function evaluateConnectivity(facts: ConnectivityFacts, config: ConnectivityConfig): ConnectivityVerdict {
  const { heartbeat, now, serverStartedAt } = facts;
  if (heartbeat === null) return { state: 'unknown', reason: "no heartbeat yet from this instrument's agent" };

  const offlineAfter = config.heartbeatIntervalMs + config.graceMs;
  const lateAfter = Math.min(offlineAfter, config.heartbeatIntervalMs * 1.5);
  const sinceHeartbeat = now - heartbeat.receivedAt;
  const heardBeforeStart = heartbeat.receivedAt < serverStartedAt;
  const offline = { state: 'offline', reason: `no heartbeat for more than ${seconds(offlineAfter)}: the PC is off or the agent is not running` } as const;
  if (now - Math.max(heartbeat.receivedAt, serverStartedAt) > offlineAfter) return offline;
  if (sinceHeartbeat > lateAfter && heardBeforeStart && facts.previous === 'offline') return offline;

  if (!heartbeat.logsDirReadable) return { state: 'agent_error', reason: `the agent cannot read the logs folder${heartbeat.lastError === null ? '' : ` (${heartbeat.lastError})`}` };
  if (heartbeat.lastError !== null && now - (heartbeat.lastErrorSince ?? heartbeat.receivedAt) >= config.errorAfterMs) {
    return { state: 'agent_error', reason: `the agent reports a problem: ${heartbeat.lastError}` };
  }

  if (heartbeat.attuneRunning === false) return { state: 'software_silent', reason: 'the Attune software is not running on the instrument PC' };
  const run = facts.status?.run ?? null;
  if (run !== null && run.waitingForUser === null) {
    const quietSince = Math.max(facts.lastLogAt ?? Number.NEGATIVE_INFINITY, serverStartedAt);
    if (now - quietSince > config.silentAfterMs) {
      return { state: 'software_silent', reason: `the log has been silent for more than ${seconds(config.silentAfterMs)} while ${run.procedure} runs` };
    }
  }

  if (sinceHeartbeat > lateAfter) {
    return { state: 'late', reason: heardBeforeStart ? 'the server restarted: waiting for the agent to report' : 'the heartbeat is overdue' };
  }
  return { state: 'online', reason: null };
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 120 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}
