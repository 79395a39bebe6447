import type { LogEvent } from '../events/log-events.ts';
import type { Estimate } from './estimate.ts';
import { DEFAULT_ESTIMATOR_OPTIONS, estimateRun, type EstimatorOptions } from './estimate-run.ts';
import { EstimatorHistory } from './estimator-history.ts';
import { replayTimelines } from './run-timeline-reader.ts';
import type { RunTimeline } from './run-timeline.ts';

/**
 * What the countdown said (or would have said) at `at`, null when no run was open then.
 *
 * `history` holds the instrument's closed runs (those that ended after `at` are ignored);
 * `events` are its log events in order, from at least the launch (`log_opened`) of the log file
 * that holds the open run: a run never spans two files. Events after `at` are ignored.
 */
export function estimateAt(history: EstimatorHistory, events: Iterable<LogEvent>, at: string, options: EstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS): Estimate | null {
  const { open } = replayTimelines(events, at);
  return open === null ? null : estimateRun(history, open, at, options);
}

/**
 * The same from an instrument's whole event stream (all its events up to `at`, in order), with
 * no stored history: one replay yields both the past runs and the open one. What a command that
 * reads the `events` table needs when no per-run steps are stored.
 */
export function estimateFromEvents(events: Iterable<LogEvent>, at: string, options: EstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS): Estimate | null {
  const { closed, open } = replayTimelines(events, at);
  return open === null ? null : estimateRun(EstimatorHistory.from(closed), open, at, options);
}

/**
 * The same from runs already read (the store's `run_steps`): the closed runs that ran to their
 * end and the open run's timeline as of `at`. Equal to `estimateFromEvents` on the events they
 * were read from.
 */
export function estimateFromRuns(closed: Iterable<RunTimeline>, open: RunTimeline | null, at: string, options: EstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS): Estimate | null {
  return open === null ? null : estimateRun(EstimatorHistory.from(closed), open, at, options);
}
