import type { Clock, Every } from '../shared/clock.ts';
import type { InstrumentStatus } from '../machines/instrument-status.ts';
import { evaluateConnectivity, type HeartbeatFacts } from './connectivity-rules.ts';
import { CONNECTIVITY_CHANGED, type Connectivity, type ConnectivityChangedData, type ConnectivityConfig, type ConnectivityView } from './connectivity.ts';
import type { HeartbeatStore, StoredHeartbeat } from './heartbeat-store.ts';

/** An instrument's connectivity as the server holds it. */
export interface ConnectivityState {
  state: Connectivity;
  /** When it entered this state (server clock, UTC ISO); null for an instrument never judged. */
  since: string | null;
  reason: string | null;
}

export interface ConnectivityChange {
  instrumentId: string;
  previous: ConnectivityState;
  current: ConnectivityState;
}

/** What the watcher reads and writes of the event store (the store implements it). */
export interface ConnectivityRecord {
  /** Every instrument's connectivity as last recorded. */
  connectivity: { all(): Array<{ instrumentId: string; state: Connectivity; since: string; reason: string | null }> };
  lastLogEventRecordedAt(instrumentId: string): string | null;
  instrumentStatus(instrumentId: string): InstrumentStatus | null;
  appendServerEvent(instrumentId: string, type: string, occurredAt: string, data: ConnectivityChangedData): number;
}

export interface ConnectivityWatcherDeps {
  store: ConnectivityRecord;
  heartbeats: HeartbeatStore;
  clock: Clock;
  config: ConnectivityConfig;
  serverStartedAt: number;
  /** Every instrument the server knows of. */
  instrumentIds: () => string[];
  /** Told after each change is stored. */
  onChange: (change: ConnectivityChange) => void;
  onError: (error: unknown, instrumentId: string) => void;
}

const NEVER_JUDGED: ConnectivityState = { state: 'unknown', since: null, reason: "no heartbeat yet from this instrument's agent" };

/**
 * The imperative shell around `evaluateConnectivity`: gathers each instrument's facts (latest
 * heartbeat, when its log last showed life, its status) and the time, every few seconds and on
 * each heartbeat or append. A change of state is stored as a `connectivity_changed` event (the
 * store's projection keeps the latest), so it replays like everything else.
 */
export class ConnectivityWatcher {
  private readonly states = new Map<string, ConnectivityState>();
  /** When (server clock) each instrument's log last showed life, as far as events show. */
  private readonly lastEventAt = new Map<string, number>();
  private stopTicking: (() => void) | null = null;

  constructor(private readonly deps: ConnectivityWatcherDeps) {
    for (const { instrumentId, state, since, reason } of deps.store.connectivity.all()) this.states.set(instrumentId, { state, since, reason });
  }

  start(every: Every): void {
    this.evaluateAll();
    this.stopTicking = every(this.deps.config.evaluateEveryMs, () => this.evaluateAll());
  }

  stop(): void {
    this.stopTicking?.();
    this.stopTicking = null;
  }

  current(instrumentId: string): ConnectivityState {
    return this.states.get(instrumentId) ?? NEVER_JUDGED;
  }

  /** What the views show of the connectivity: the state, and the latest heartbeat's news. */
  view(instrumentId: string): ConnectivityView {
    const { state, since, reason } = this.current(instrumentId);
    const stored = this.deps.heartbeats.get(instrumentId);
    if (stored === null) return { state, since, reason, lastHeartbeatAt: null, agent: null };
    const h = stored.heartbeat;
    return {
      state,
      since,
      reason,
      lastHeartbeatAt: new Date(stored.receivedAt).toISOString(),
      agent: {
        version: h.agent_version,
        hostName: h.host_name,
        attuneRunning: h.attune_running,
        logsDirReadable: h.logs_dir_readable,
        followedFile: h.following?.file ?? null,
        bytesBehind: h.following === null ? 0 : Math.max(0, h.following.size - h.following.offset),
        outboxDepth: h.outbox_depth,
        lastError: h.last_error,
        lastLineAt: h.last_line_at,
      },
    };
  }

  /** New log events of the instrument were just stored. */
  logActivity(instrumentId: string): ConnectivityChange | null {
    this.lastEventAt.set(instrumentId, this.deps.clock.now());
    return this.evaluate(instrumentId);
  }

  evaluateAll(): void {
    for (const instrumentId of this.deps.instrumentIds()) this.evaluate(instrumentId);
  }

  /** Judges the instrument now; stores and announces a change of state. */
  evaluate(instrumentId: string): ConnectivityChange | null {
    const { store, heartbeats, clock, config, serverStartedAt } = this.deps;
    const now = clock.now();
    const previous = this.states.get(instrumentId) ?? null;
    const stored = heartbeats.get(instrumentId);
    const verdict = evaluateConnectivity(
      {
        heartbeat: stored === null ? null : heartbeatFacts(stored),
        lastLogAt: this.lastLogAt(instrumentId, stored),
        status: store.instrumentStatus(instrumentId),
        serverStartedAt,
        now,
        previous: previous?.state ?? null,
      },
      config,
    );
    const before = previous ?? NEVER_JUDGED;
    if (verdict.state === before.state) {
      // Same state: the reason may say more now (another error text), which is no new event.
      if (previous !== null && verdict.reason !== previous.reason) this.states.set(instrumentId, { ...previous, reason: verdict.reason });
      return null;
    }
    const since = new Date(now).toISOString();
    const data: ConnectivityChangedData = { state: verdict.state, reason: verdict.reason, previous: previous?.state ?? null };
    try {
      store.appendServerEvent(instrumentId, CONNECTIVITY_CHANGED, since, data);
    } catch (error) {
      // Not stored, so not changed: the next evaluation tries again.
      this.deps.onError(error, instrumentId);
      return null;
    }
    const current = { state: verdict.state, since, reason: verdict.reason };
    this.states.set(instrumentId, current);
    const change = { instrumentId, previous: before, current };
    this.deps.onChange(change);
    return change;
  }

  /**
   * When the log last showed life (server clock): the later of the last event stored and the last
   * line the agent read (its clock moved onto ours by the skew its heartbeat shows).
   */
  private lastLogAt(instrumentId: string, stored: StoredHeartbeat | null): number | null {
    let fromEvents = this.lastEventAt.get(instrumentId);
    if (fromEvents === undefined) {
      const recorded = this.deps.store.lastLogEventRecordedAt(instrumentId);
      fromEvents = recorded === null ? Number.NEGATIVE_INFINITY : Date.parse(recorded);
      this.lastEventAt.set(instrumentId, fromEvents);
    }
    const lineAt = stored?.heartbeat.last_line_at ?? null;
    const fromAgent = lineAt === null ? Number.NEGATIVE_INFINITY : Date.parse(lineAt) + (stored!.receivedAt - Date.parse(stored!.heartbeat.sent_at));
    const latest = Math.max(fromEvents, fromAgent);
    return Number.isFinite(latest) ? latest : null;
  }
}

function heartbeatFacts(stored: StoredHeartbeat): HeartbeatFacts {
  const h = stored.heartbeat;
  return { receivedAt: stored.receivedAt, logsDirReadable: h.logs_dir_readable, attuneRunning: h.attune_running, lastError: h.last_error, lastErrorSince: stored.errorSince };
}
