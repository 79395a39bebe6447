import { ConnectivityWatcher, type ConnectivityChange } from '../connectivity/connectivity-watcher.ts';
import type { ConnectivityConfig } from '../connectivity/connectivity.ts';
import { HeartbeatStore } from '../connectivity/heartbeat-store.ts';
import { instrumentStatus, type InstrumentStatus } from '../machines/instrument-status.ts';
import type { MonitorOutput } from '../machines/monitor-types.ts';
import { Monitor } from '../machines/monitor.ts';
import type { HeartbeatRequest } from '../protocol/heartbeat-api.ts';
import type { Clock, Every } from '../shared/clock.ts';
import type { EventStore } from '../store/event-store.ts';
import type { InstrumentCommit } from '../store/projector.ts';
import { InstrumentEstimates } from './instrument-estimates.ts';
import type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from './instrument-view.ts';
import { connectivityAlert, liveAlertOf } from './live-alerts.ts';

/** The connectivity rules' settings, and what counts as history (ms). */
export interface LiveFeedConfig extends ConnectivityConfig {
  /** An event older than this when it reaches the server is history: its alerts are never posted. */
  historicAfterMs: number;
}

export interface ServerLiveFeedDeps {
  store: EventStore;
  clock: Clock;
  config: LiveFeedConfig;
  /** When this server process started (server clock, ms): connectivity's grace counts from it. */
  serverStartedAt: number;
  /** Problems that must not stop the feed (a listener that throws, a failed evaluation). */
  onError: (error: unknown, context: string) => void;
}

/**
 * The server's side of the live contract (`LiveFeed`): each instrument's view (status from the
 * store's machine, connectivity from the watcher, countdown from the estimator), the open alerts,
 * and the changes as they happen. It learns of new events from the store's commit listener (the
 * machine's own outputs, so the feed and the stored alerts never disagree), of heartbeats from the
 * heartbeat route, and of time from its ticks.
 */
export class ServerLiveFeed implements LiveFeed {
  readonly heartbeats: HeartbeatStore;
  readonly watcher: ConnectivityWatcher;
  private readonly estimates: InstrumentEstimates;
  private readonly listeners = new Set<(change: LiveChange) => void>();
  /** What was last announced of each instrument (see `changeKey`). */
  private readonly announced = new Map<string, string>();
  private readonly logAlerts = new Map<string, Map<string, LiveAlert>>();
  private readonly connectivityAlerts = new Map<string, LiveAlert>();
  /** How far the feed has followed each instrument's events (`instrument_state.last_position`). */
  private readonly followed = new Map<string, number>();
  private emptyStatus: InstrumentStatus | null = null;
  private stopTicking: (() => void) | null = null;

  constructor(private readonly deps: ServerLiveFeedDeps) {
    const { store } = deps;
    this.heartbeats = new HeartbeatStore(store.heartbeats);
    this.estimates = new InstrumentEstimates(store);
    this.watcher = new ConnectivityWatcher({
      store,
      heartbeats: this.heartbeats,
      clock: deps.clock,
      config: deps.config,
      serverStartedAt: deps.serverStartedAt,
      instrumentIds: () => store.instruments.all(),
      onChange: (change) => this.connectivityChanged(change),
      onError: (error, instrumentId) => deps.onError(error, `judging the connectivity of ${instrumentId}`),
    });
  }

  /** Reads every instrument's history (countdowns, open alerts), then follows the store and the clock. */
  start(every: Every): void {
    for (const [instrumentId, position] of this.deps.store.states.positions()) this.follow(instrumentId, position);
    for (const instrumentId of this.deps.store.instruments.all()) {
      const { state, since, reason } = this.watcher.current(instrumentId);
      const alert = since === null ? null : connectivityAlert(instrumentId, state, since, reason, this.deps.store.instrumentStatus(instrumentId));
      if (alert !== null) this.connectivityAlerts.set(instrumentId, alert);
      this.announced.set(instrumentId, changeKey(this.build(instrumentId)));
    }
    this.deps.store.onCommit((commits) => this.committed(commits));
    this.watcher.start(every);
    this.stopTicking = every(this.deps.config.evaluateEveryMs, () => this.tick());
  }

  stop(): void {
    this.stopTicking?.();
    this.stopTicking = null;
    this.watcher.stop();
    this.deps.store.onCommit(null);
  }

  instruments(): InstrumentView[] {
    return this.deps.store.instruments.all().map((instrumentId) => this.build(instrumentId));
  }

  instrument(instrumentId: string): InstrumentView | null {
    return this.deps.store.instruments.has(instrumentId) ? this.build(instrumentId) : null;
  }

  openAlerts(): LiveAlert[] {
    const open = [...[...this.logAlerts.values()].flatMap((alerts) => [...alerts.values()]), ...this.connectivityAlerts.values()];
    return open.sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.id < b.id ? -1 : 1));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A heartbeat that passed authentication and validation: kept, and judged at once. */
  heartbeat(heartbeat: HeartbeatRequest): void {
    const instrumentId = heartbeat.instrument_id;
    this.heartbeats.record(heartbeat, this.deps.clock.now());
    this.watcher.evaluate(instrumentId);
    this.refresh(instrumentId);
  }

  /** After each commit of the store: follow what it appended. */
  private committed(commits: readonly InstrumentCommit[]): void {
    const active: string[] = [];
    for (const commit of commits) {
      const { instrumentId } = commit;
      try {
        // Rebuilt by the store, or written by another process since the feed last followed it: read it again.
        if (commit.rebuilt || commit.previousPosition !== (this.followed.get(instrumentId) ?? 0)) this.follow(instrumentId, commit.lastPosition);
        else {
          this.followed.set(instrumentId, commit.lastPosition);
          if (commit.appended.length === 0) continue;
          this.estimates.append(commit);
          this.applyOutputs(instrumentId, commit.outputs);
          this.refresh(instrumentId);
        }
        if (commit.appended.length > 0) active.push(instrumentId);
      } catch (error) {
        // The events are stored; the next tick reads the instrument again from the store.
        this.followed.delete(instrumentId);
        this.deps.onError(error, `following the events of ${instrumentId}`);
      }
    }
    // Last: a change of connectivity appends an event of its own, after this commit is followed.
    for (const instrumentId of active) this.watcher.logActivity(instrumentId);
  }

  private applyOutputs(instrumentId: string, outputs: readonly MonitorOutput[]): void {
    const open = this.openLogAlerts(instrumentId);
    for (const output of outputs) {
      if (output.type !== 'alert_raised' && output.type !== 'alert_resolved') continue;
      const alert = liveAlertOf(instrumentId, output.alert);
      if (output.type === 'alert_raised') open.set(alert.id, alert);
      else open.delete(alert.id);
      this.emit({ type: output.type, alert, historic: this.isHistoric(output.type === 'alert_raised' ? alert.raisedAt : (alert.resolvedAt ?? alert.raisedAt)) });
    }
  }

  private connectivityChanged({ instrumentId, current }: ConnectivityChange): void {
    const open = this.connectivityAlerts.get(instrumentId);
    const alert = connectivityAlert(instrumentId, current.state, current.since!, current.reason, this.deps.store.instrumentStatus(instrumentId));
    if (open !== undefined && open.kind !== alert?.kind) {
      this.connectivityAlerts.delete(instrumentId);
      this.emit({ type: 'alert_resolved', alert: { ...open, resolvedAt: current.since }, historic: false });
    }
    if (alert !== null && open?.kind !== alert.kind) {
      this.connectivityAlerts.set(instrumentId, alert);
      this.emit({ type: 'alert_raised', alert, historic: false });
    }
    this.refresh(instrumentId);
  }

  /**
   * (Re)reads an instrument from the store: its countdown history, and its open alerts (announcing
   * the difference). For an instrument rebuilt by the store (events out of order), written by
   * another process, or one the feed lost track of after an error.
   */
  private follow(instrumentId: string, position: number): void {
    this.estimates.load(instrumentId);
    const before = this.logAlerts.get(instrumentId) ?? new Map<string, LiveAlert>();
    const after = new Map(this.deps.store.openAlerts(instrumentId).map((alert) => liveAlertOf(instrumentId, alert)).map((alert) => [alert.id, alert]));
    this.logAlerts.set(instrumentId, after);
    this.followed.set(instrumentId, position);
    if (!this.announced.has(instrumentId)) return;
    for (const [id, alert] of after) if (!before.has(id)) this.emit({ type: 'alert_raised', alert, historic: this.isHistoric(alert.raisedAt) });
    for (const [id, alert] of before) {
      if (after.has(id)) continue;
      const resolvedAt = this.deps.store.alerts.resolvedAt(id) ?? new Date(this.deps.clock.now()).toISOString();
      this.emit({ type: 'alert_resolved', alert: { ...alert, resolvedAt }, historic: this.isHistoric(resolvedAt) });
    }
    this.refresh(instrumentId);
  }

  /** Every few seconds: catch up with writes the feed did not hear of, and let countdowns move. */
  private tick(): void {
    try {
      for (const [instrumentId, position] of this.deps.store.states.positions()) {
        if (this.followed.get(instrumentId) !== position) this.follow(instrumentId, position);
      }
      for (const instrumentId of this.deps.store.instruments.all()) this.refresh(instrumentId);
    } catch (error) {
      this.deps.onError(error, 'the live feed tick');
    }
  }

  /** Announces the instrument's view when something worth showing changed. */
  private refresh(instrumentId: string): void {
    const view = this.build(instrumentId);
    const key = changeKey(view);
    if (this.announced.get(instrumentId) === key) return;
    this.announced.set(instrumentId, key);
    this.emit({ type: 'instrument_changed', view });
  }

  private build(instrumentId: string): InstrumentView {
    const status = this.deps.store.instrumentStatus(instrumentId) ?? this.noEvents();
    const estimate = status.run === null ? null : this.estimates.estimate(instrumentId, this.countdownAt(status));
    return { id: instrumentId, status, connectivity: this.watcher.view(instrumentId), estimate };
  }

  /**
   * The moment a countdown is told for: now while the log is live; the last event's time when the
   * log is behind (an agent catching up, a PC gone dark), where "now" would count down a run the
   * server knows nothing more of. The later of the two when the instrument's clock runs ahead.
   */
  private countdownAt(status: InstrumentStatus): string {
    const now = this.deps.clock.now();
    if (status.asOf === null) return new Date(now).toISOString();
    const asOf = Date.parse(status.asOf);
    return now - asOf > this.deps.config.historicAfterMs ? status.asOf : new Date(Math.max(now, asOf)).toISOString();
  }

  private isHistoric(eventAt: string): boolean {
    return this.deps.clock.now() - Date.parse(eventAt) > this.deps.config.historicAfterMs;
  }

  private openLogAlerts(instrumentId: string): Map<string, LiveAlert> {
    let open = this.logAlerts.get(instrumentId);
    if (open === undefined) this.logAlerts.set(instrumentId, (open = new Map()));
    return open;
  }

  /** The status of an instrument with no events yet (known by its token or heartbeats only). */
  private noEvents(): InstrumentStatus {
    this.emptyStatus ??= instrumentStatus(new Monitor());
    return structuredClone(this.emptyStatus);
  }

  private emit(change: LiveChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.deps.onError(error, `a live feed listener (${change.type})`);
      }
    }
  }
}

/**
 * What makes a view worth announcing: status, countdown, connectivity and the agent's news, but
 * not the heartbeat's time and counters, which move every few seconds and change nothing shown.
 */
function changeKey(view: InstrumentView): string {
  const { state, since, reason, agent } = view.connectivity;
  const news = agent === null ? null : [agent.version, agent.hostName, agent.attuneRunning, agent.logsDirReadable, agent.followedFile, agent.lastError];
  return JSON.stringify([view.status, view.estimate, state, since, reason, news]);
}
