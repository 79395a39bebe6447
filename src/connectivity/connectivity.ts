import { z } from 'zod';

// The vocabulary of connectivity, below everything that keeps or shows it: the store records its
// changes as events, the live contract shows it, the rules decide it.

/** How the server hears from the instrument PC (the rules: connectivity-rules.ts). */
export const CONNECTIVITY_STATES = ['online', 'late', 'offline', 'software_silent', 'agent_error', 'unknown'] as const;

export type Connectivity = (typeof CONNECTIVITY_STATES)[number];

export interface ConnectivityView {
  state: Connectivity;
  /** When it entered this state (server clock, UTC ISO). */
  since: string | null;
  /** Why, in words for people ("no heartbeat for 2 min", "logs folder unreadable"…). */
  reason: string | null;
  lastHeartbeatAt: string | null;
  /** From the last heartbeat; null before any. */
  agent: {
    version: string;
    hostName: string;
    attuneRunning: boolean | 'unknown';
    logsDirReadable: boolean;
    followedFile: string | null;
    bytesBehind: number;
    outboxDepth: number;
    lastError: string | null;
    lastLineAt: string | null;
  } | null;
}

/** The server event the live server appends when an instrument's connectivity changes. */
export const CONNECTIVITY_CHANGED = 'connectivity_changed';

/** The `data` of a `connectivity_changed` event: checked when appended, so replay can trust it. */
export const connectivityChangedDataSchema = z.strictObject({
  state: z.enum(CONNECTIVITY_STATES),
  /** Why, in words for people. */
  reason: z.string().nullable(),
  previous: z.enum(CONNECTIVITY_STATES).nullable(),
});

export type ConnectivityChangedData = z.infer<typeof connectivityChangedDataSchema>;

/** How connectivity is judged, and how often (all times in ms). */
export interface ConnectivityConfig {
  /** How often agents send heartbeats (the agent's --heartbeat-s). */
  heartbeatIntervalMs: number;
  /** How long an overdue heartbeat is waited for before the instrument is offline. */
  graceMs: number;
  /** A run is open and the log has been silent this long: the Attune software is silent. */
  silentAfterMs: number;
  /** The agent reports a problem (last_error) without a break this long: agent_error. */
  errorAfterMs: number;
  /** How often every instrument is looked at again (connectivity, countdowns). */
  evaluateEveryMs: number;
}
