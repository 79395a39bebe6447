import { estimateRun } from '../estimates/estimate-run.ts';
import type { Estimate } from '../estimates/estimate.ts';
import { EstimatorHistory } from '../estimates/estimator-history.ts';
import { RunTimelineReader } from '../estimates/run-timeline-reader.ts';
import type { RunTimeline } from '../estimates/run-timeline.ts';
import type { LogEvent } from '../events/log-events.ts';
import type { EventStore } from '../store/event-store.ts';

/** One instrument's countdown material: its closed runs, and the open run's steps so far. */
interface Countdown {
  history: EstimatorHistory;
  /** Log events → its own monitor → run timelines (the store's machine keeps only the latest step). */
  reader: RunTimelineReader;
  open: RunTimeline | null;
}

/**
 * The countdowns (issue 7) of every instrument, kept live. At start each instrument's stored
 * events are replayed once through a `RunTimelineReader` to build its `EstimatorHistory`; then
 * every batch the store takes extends it. Replaying rather than storing step timelines in a
 * table: the events are already the record (nothing new to migrate, rebuild or keep in step with
 * the machine), and a replay of a year of one instrument's logs costs a few seconds at start.
 */
export class InstrumentEstimates {
  private readonly countdowns = new Map<string, Countdown>();

  constructor(private readonly store: EventStore) {}

  /** (Re)builds the instrument's countdown from all its stored events. */
  load(instrumentId: string): void {
    const countdown: Countdown = { history: new EstimatorHistory(), reader: new RunTimelineReader(), open: null };
    const closed: RunTimeline[] = [];
    for (const event of this.store.logEvents(instrumentId)) {
      countdown.reader.push(event, closed);
      // Profiled as they come: the closed timelines are not all kept in memory at once.
      if (closed.length >= 1000) this.addClosed(countdown, closed);
    }
    countdown.reader.flush(closed);
    this.addClosed(countdown, closed);
    countdown.open = countdown.reader.open;
    this.countdowns.set(instrumentId, countdown);
  }

  /** Log events just stored for the instrument, in source order (the order they were appended). */
  append(instrumentId: string, events: readonly LogEvent[]): void {
    const countdown = this.countdowns.get(instrumentId);
    if (countdown === undefined) return this.load(instrumentId);
    const closed: RunTimeline[] = [];
    for (const event of events) countdown.reader.push(event, closed);
    countdown.reader.flush(closed);
    this.addClosed(countdown, closed);
    countdown.open = countdown.reader.open;
  }

  /** The open run's countdown as of `at`, null when no run is open. */
  estimate(instrumentId: string, at: string): Estimate | null {
    const countdown = this.countdowns.get(instrumentId);
    if (countdown === undefined || countdown.open === null) return null;
    return estimateRun(countdown.history, countdown.open, at);
  }

  private addClosed(countdown: Countdown, closed: RunTimeline[]): void {
    for (const run of closed) countdown.history.add(run);
    closed.length = 0;
  }
}
