import { weightedQuantileOfSorted, type Weighted } from '../shared/quantiles.ts';
import type { Estimate, StepRef } from './estimate.ts';
import type { EstimatorHistory } from './estimator-history.ts';
import { groupsFor, type HistoryGroup } from './history-groups.ts';
import { possibleFutures } from './run-futures.ts';
import { openProfileOf } from './run-profile.ts';
import type { RunTimeline } from './run-timeline.ts';

export interface EstimatorOptions {
  /** How many of the latest comparable runs to learn from: recent runs reflect today's instrument (fluidics age, the assay in use). */
  window: number;
  /** Runs back after which a past run counts half as much as the latest one: the latest runs are today's user, assay and plate. */
  halfLife: number;
}

export const DEFAULT_ESTIMATOR_OPTIONS: EstimatorOptions = { window: 40, halfLife: 10 };

/**
 * When the open run will end, from the comparable runs that had ended by `at`.
 *
 * Method (docs/estimates.md): find where the run stands (its latest step, and which occurrence of
 * it, since loops repeat steps) and, in each past run, the same point. What remained of that past
 * run from there is one possible future for this one, after three corrections: the time this run
 * already spent in the current step is taken off (and past runs that would already have left the
 * step are set aside: the step is evidently a long one this time); the instrument's part is
 * stretched by this run's pace so far, as much as past runs show that a pace carries on; and
 * waits for the user are kept apart, so a long wait neither reads as a slow instrument nor is
 * counted twice. Recent runs weigh more. The weighted middle of these futures is the estimate;
 * their 10th and 90th percentiles, widened for the few runs they rest on, its interval.
 */
export function estimateRun(history: EstimatorHistory, run: RunTimeline, at: string, options: EstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS): Estimate {
  const atMs = Date.parse(at);
  const step = currentStep(run, at);
  const chosen = chooseGroup(history, run, atMs, options.window);
  if (chosen.group === null) {
    return { procedure: run.procedure, startedAt: run.startedAt, step, estimatedEnd: null, p10End: null, p90End: null, basedOnRuns: chosen.runs, reason: 'short_history' };
  }
  const past = history.latestBy(chosen.group, atMs, Math.min(options.window, chosen.runs));
  const nowMs = Math.max(atMs, Date.parse(run.startedAt));
  const open = openProfileOf(run, nowMs);
  const futures = possibleFutures(open, past, options.halfLife).sort((a, b) => a.value - b.value);
  const end = (q: number) => new Date(nowMs + Math.round(weightedQuantileOfSorted(futures, q))).toISOString();
  const spread = predictiveSpread(futures);
  return {
    procedure: run.procedure,
    startedAt: run.startedAt,
    step,
    estimatedEnd: end(0.5),
    p10End: end(0.5 - 0.4 * spread),
    p90End: end(0.5 + 0.4 * spread),
    basedOnRuns: futures.length,
    comparedWith: chosen.group.label,
  };
}

/** The most specific group with enough (recent enough) runs; else none, with the most runs any group had. */
function chooseGroup(history: EstimatorHistory, run: RunTimeline, atMs: number, window: number): { group: HistoryGroup | null; runs: number } {
  let most = 0;
  for (const group of groupsFor(run)) {
    let runs = history.countBy(group, atMs);
    if (group.recentIn !== undefined) {
      const oldest = history.latestBy(group.recentIn, atMs, window)[0];
      runs = oldest === undefined ? 0 : runs - history.countBy(group, oldest.endedAtMs - 1);
    }
    if (runs >= group.minRuns) return { group, runs };
    most = Math.max(most, runs);
  }
  return { group: null, runs: most };
}

function currentStep(run: RunTimeline, at: string): StepRef | null {
  for (let i = run.steps.length - 1; i >= 0; i--) {
    const step = run.steps[i]!;
    if (step.at <= at) return { function: step.function, line: step.line };
  }
  return null;
}

/**
 * How much wider than the futures' own 10–90 % range the interval must be to hold the next run's
 * end 80 % of the time: a new run falls outside a sample of n more often than the sample's
 * quantiles suggest, by about (n + 1) / n, n being the effective number of runs (recency weights
 * count fewer runs than there are).
 */
function predictiveSpread(futures: readonly Weighted[]): number {
  let total = 0;
  let squares = 0;
  for (const { weight } of futures) {
    total += weight;
    squares += weight * weight;
  }
  const effective = (total * total) / squares;
  return Math.min(1.25, (effective + 1) / effective);
}
