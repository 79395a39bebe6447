import { estimateRun } from '../estimates/estimate-run.ts';
import type { Estimate } from '../estimates/estimate.ts';
import type { EstimatorHistory } from '../estimates/estimator-history.ts';
import type { RunTimeline } from '../estimates/run-timeline.ts';
import type { EventStore } from '../store/event-store.ts';
import type { InstrumentCommit } from '../store/projector.ts';

/** One instrument's countdown material: its closed runs, and the open run's steps so far. */
interface Countdown {
  history: EstimatorHistory;
  open: RunTimeline | null;
}

/**
 * The countdowns of every instrument, kept live. At start each instrument's history is
 * read from the store's `run_steps` projection (kept as events arrive: a stored year costs no
 * replay, and a run's steps are read only when an estimate needs them); then every commit of the store extends it with the runs it
 * closed and the open run as it stands.
 */
export class InstrumentEstimates {
  private readonly countdowns = new Map<string, Countdown>();

  constructor(private readonly store: EventStore) {}

  /** (Re)reads the instrument's countdown from the store. */
  load(instrumentId: string): void {
    this.countdowns.set(instrumentId, { history: this.store.estimatorHistory(instrumentId), open: this.store.openRunTimeline(instrumentId) });
  }

  /** A commit of the store for the instrument, followed in order. */
  append(commit: InstrumentCommit): void {
    const countdown = this.countdowns.get(commit.instrumentId);
    if (countdown === undefined) return this.load(commit.instrumentId);
    for (const run of commit.closedRuns) countdown.history.add(run);
    countdown.open = commit.openRun;
  }

  /** The open run's countdown as of `at`, null when no run is open. */
  estimate(instrumentId: string, at: string): Estimate | null {
    const countdown = this.countdowns.get(instrumentId);
    if (countdown === undefined || countdown.open === null) return null;
    return estimateRun(countdown.history, countdown.open, at);
  }
}
