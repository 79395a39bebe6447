import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import { RunTimelineCollector } from '../../src/estimates/run-timeline-collector.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import type { ConnectivityView, InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../../src/live/instrument-view.ts';
import { liveAlertOf } from '../../src/live/live-alerts.ts';
import { instrumentStatus } from '../../src/machines/instrument-status.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import type { EventStore } from '../../src/store/event-store.ts';

/** Events older than this when they arrive are history: their alerts are listed, never posted. */
export const HISTORIC_AFTER_MS = 5 * 60_000;

interface Tracked {
  monitor: Monitor;
  timelines: RunTimelineCollector;
  history: EstimatorHistory;
  connectivity: ConnectivityView;
  openAlerts: Map<string, LiveAlert>;
}

/**
 * A small but real LiveFeed for the Slack tests that need a state at will (an alert raised twice,
 * an instrument offline now) without driving heartbeats and ticks; the full scenario runs on the
 * server's own feed (slack-scenario.int.spec.ts).
 * Events are appended to a real EventStore (so `procedure_runs` is there for "today's runs") and
 * fed, one at a time, to a Monitor with a run-timeline collector and an estimator history beside
 * it, as the server keeps them. Each append announces the alerts the machine raised or resolved
 * (historic when the event was already old) and then the instrument's new view.
 */
export class TestLiveFeed implements LiveFeed {
  private readonly instrumentsById = new Map<string, Tracked>();
  private readonly listeners = new Set<(change: LiveChange) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  instruments(): InstrumentView[] {
    return [...this.instrumentsById.keys()].sort().map((id) => this.view(id));
  }

  instrument(id: string): InstrumentView | null {
    return this.instrumentsById.has(id) ? this.view(id) : null;
  }

  openAlerts(): LiveAlert[] {
    return [...this.instrumentsById.values()].flatMap((tracked) => [...tracked.openAlerts.values()]).sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : 1));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends one instrument's events (as an agent batch would bring them) and announces what changed. */
  append(instrumentId: string, events: readonly LogEvent[]): void {
    this.store.appendLogEvents(instrumentId, events);
    const tracked = this.track(instrumentId);
    const nowMs = this.now().getTime();
    const changes: LiveChange[] = [];
    for (const event of events) {
      const outputs = tracked.monitor.feed(event);
      for (const closed of tracked.timelines.observe(event, outputs)) tracked.history.add(closed);
      const historic = nowMs - Date.parse(event.at) > HISTORIC_AFTER_MS;
      for (const output of outputs) {
        if (output.type !== 'alert_raised' && output.type !== 'alert_resolved') continue;
        const alert = liveAlertOf(instrumentId, output.alert);
        if (output.type === 'alert_raised') tracked.openAlerts.set(alert.id, alert);
        else tracked.openAlerts.delete(alert.id);
        changes.push({ type: output.type, alert, historic });
      }
    }
    tracked.connectivity = { ...tracked.connectivity, state: 'online', lastHeartbeatAt: this.now().toISOString() };
    changes.push({ type: 'instrument_changed', view: this.view(instrumentId) });
    this.emit(changes);
  }

  /** What the server's connectivity watch would announce; `alert` raises (or, with resolvedAt, resolves) a connectivity alert. */
  setConnectivity(instrumentId: string, connectivity: Partial<ConnectivityView>, alert?: { change: 'alert_raised' | 'alert_resolved'; alert: LiveAlert }): void {
    const tracked = this.track(instrumentId);
    tracked.connectivity = { ...tracked.connectivity, ...connectivity };
    const changes: LiveChange[] = [];
    if (alert !== undefined) {
      if (alert.change === 'alert_raised') tracked.openAlerts.set(alert.alert.id, alert.alert);
      else tracked.openAlerts.delete(alert.alert.id);
      changes.push({ type: alert.change, alert: alert.alert, historic: false });
    }
    changes.push({ type: 'instrument_changed', view: this.view(instrumentId) });
    this.emit(changes);
  }

  private emit(changes: readonly LiveChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }

  private track(instrumentId: string): Tracked {
    let tracked = this.instrumentsById.get(instrumentId);
    if (tracked === undefined) {
      tracked = {
        monitor: new Monitor(),
        timelines: new RunTimelineCollector(),
        history: new EstimatorHistory(),
        connectivity: { state: 'unknown', since: null, reason: null, lastHeartbeatAt: null, agent: null },
        openAlerts: new Map(),
      };
      this.instrumentsById.set(instrumentId, tracked);
    }
    return tracked;
  }

  private view(instrumentId: string): InstrumentView {
    const tracked = this.instrumentsById.get(instrumentId)!;
    const open = tracked.timelines.open;
    const at = this.now().toISOString();
    return {
      id: instrumentId,
      status: instrumentStatus(tracked.monitor),
      connectivity: tracked.connectivity,
      estimate: open === null || tracked.monitor.context.run === null ? null : estimateRun(tracked.history, open, at),
    };
  }
}

