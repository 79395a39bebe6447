import type { Logger } from 'pino';
import type { FollowedFile, HeartbeatRequest } from '../protocol/heartbeat-api.ts';
import type { AgentHealth } from './agent-health.ts';
import type { AttuneRunning } from './attune-process.ts';
import type { IngestClient } from './ingest-client.ts';

// Heartbeats run on their own timer with their own request timeout: a long catch-up, a full
// outbox or a server slow to take events never delays them, so the server's view of "agent
// alive" stays true whatever else is going on.

/** What the agent knows about itself when a heartbeat is due. */
export interface AgentSnapshot {
  logsDir: string;
  logsDirReadable: boolean;
  following: FollowedFile | null;
  lastLineAt: string | null;
  attuneRunning: AttuneRunning;
  outboxDepth: number;
  outboxBytes: number;
  /** Outbox lines moved aside to its quarantine file, not sent (see outbox.ts). */
  outboxQuarantined: number;
  lastError: string | null;
}

export interface AgentIdentity {
  instrumentId: string;
  agentVersion: string;
  hostName: string;
}

export function buildHeartbeat(identity: AgentIdentity, snapshot: AgentSnapshot, uptimeS: number, nowMs: number): HeartbeatRequest {
  return {
    instrument_id: identity.instrumentId,
    agent_version: identity.agentVersion,
    host_name: identity.hostName.slice(0, 255),
    uptime_s: Math.max(0, Math.round(uptimeS * 10) / 10),
    logs_dir: snapshot.logsDir.slice(0, 1024),
    logs_dir_readable: snapshot.logsDirReadable,
    following: snapshot.following,
    last_line_at: snapshot.lastLineAt,
    attune_running: snapshot.attuneRunning,
    outbox_depth: snapshot.outboxDepth,
    outbox_bytes: snapshot.outboxBytes,
    outbox_quarantined: snapshot.outboxQuarantined,
    last_error: snapshot.lastError,
    sent_at: new Date(nowMs).toISOString(),
  };
}

export interface HeartbeatLoopOptions {
  client: IngestClient;
  intervalMs: number;
  /** Builds the heartbeat; the loop measures nothing itself. */
  build: () => Promise<HeartbeatRequest>;
  health: AgentHealth;
  log: Logger;
}

export class HeartbeatLoop {
  private readonly options: HeartbeatLoopOptions;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(options: HeartbeatLoopOptions) {
    this.options = options;
  }

  /** Sends one now, then one every interval. */
  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.inFlight;
  }

  private beat(): void {
    // One at a time: the timeout below ends a hung request before the next one is due.
    if (this.inFlight !== null) return;
    this.inFlight = this.send().finally(() => {
      this.inFlight = null;
    });
  }

  private async send(): Promise<void> {
    const { client, intervalMs, build, health, log } = this.options;
    try {
      const heartbeat = await build();
      const result = await client.postHeartbeat(heartbeat, Math.max(100, intervalMs - 50), this.abort.signal);
      if (this.abort.signal.aborted) return;
      if (result.kind === 'ok') {
        if (health.set('heartbeat', null)) log.info('heartbeats accepted again');
        log.debug({ outbox_depth: heartbeat.outbox_depth, last_error: heartbeat.last_error }, 'heartbeat sent');
        return;
      }
      const message = `heartbeat not accepted: ${result.message}`;
      if (health.set('heartbeat', message)) {
        if (result.kind === 'rejected') log.error({ status: result.status, problem: result.message }, 'the server rejects heartbeats: check --server, --instrument and --token');
        else log.warn({ status: result.status, problem: result.message }, 'heartbeat not delivered');
      }
    } catch (error) {
      log.error({ err: error }, 'heartbeat failed');
    }
  }
}
