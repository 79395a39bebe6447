import type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../../src/live/instrument-view.ts';
import { instrumentStatus, type InstrumentStatus } from '../../src/machines/instrument-status.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import type { EventStore } from '../../src/store/event-store.ts';

/**
 * A LiveFeed kept by hand, for testing what reads one (the web pages, the Slack app) without the
 * server: `set` an instrument's view or `fromStore` after appending events, and every subscriber
 * hears the change, as the server's feed announces them.
 */
export class MemoryLiveFeed implements LiveFeed {
  private readonly views = new Map<string, InstrumentView>();
  private readonly alerts = new Map<string, LiveAlert>();
  private readonly listeners = new Set<(change: LiveChange) => void>();

  instruments(): InstrumentView[] {
    return [...this.views.values()];
  }

  instrument(id: string): InstrumentView | null {
    return this.views.get(id) ?? null;
  }

  openAlerts(): LiveAlert[] {
    return [...this.alerts.values()].filter((alert) => alert.resolvedAt === null).sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : 1));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  set(view: InstrumentView): void {
    this.views.set(view.id, view);
    this.announce({ type: 'instrument_changed', view });
  }

  /** The instrument's view from the store's machine (status), online, with no estimate. */
  fromStore(store: EventStore, id: string, heartbeatAt: string | null = null): InstrumentView {
    const status = store.instrumentStatus(id);
    if (status === null) throw new Error(`no events stored for ${id}`);
    const view = viewOf(id, status, heartbeatAt);
    this.set(view);
    return view;
  }

  raise(alert: LiveAlert, historic = false): void {
    this.alerts.set(alert.id, alert);
    this.announce({ type: 'alert_raised', alert, historic });
  }

  private announce(change: LiveChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

export function viewOf(id: string, status: InstrumentStatus, heartbeatAt: string | null = null): InstrumentView {
  return {
    id,
    status,
    connectivity: { state: 'online', since: heartbeatAt, reason: null, lastHeartbeatAt: heartbeatAt, agent: null },
    estimate: null,
  };
}

/** A status as the machine gives it before any event: software off, nobody logged in. */
export function emptyStatus(): InstrumentStatus {
  return instrumentStatus(new Monitor());
}
