import { DEFAULT_ESTIMATOR_OPTIONS, estimateRun, type EstimatorOptions } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import { groupsFor } from '../../src/estimates/history-groups.ts';
import { timelineAt } from '../../src/estimates/run-timeline-collector.ts';
import { ranToEnd, type RunTimeline } from '../../src/estimates/run-timeline.ts';
import { median } from '../../src/shared/quantiles.ts';
import { MedianDurationBaseline } from './baseline.ts';

/** The overall figures without plate wells, which are the easiest runs to predict and the most numerous. */
const WITHOUT_WELLS = 'overall without plate wells';

/** The moments of a run the countdown is judged at, as fractions of its actual length. */
export const FRACTIONS = [0, 0.25, 0.5, 0.75] as const;

export interface BacktestCell {
  /** Runs judged at this fraction (those with enough earlier history). */
  runs: number;
  /** Median absolute error of the remaining time, seconds. */
  estimator: number;
  baseline: number;
  /** Share of runs whose actual end fell within the estimate's p10–p90. */
  coverage: number;
}

export interface BacktestRow {
  group: string;
  cells: Array<BacktestCell | null>;
}

interface Sample {
  estimator: number;
  baseline: number;
  covered: boolean;
}

/**
 * Asks the estimator about every run that ran to its end, at 0/25/50/75 % of its actual length,
 * as if live: only the steps seen by then, only runs ended by then. The baseline is asked the
 * same questions with the same knowledge. Runs without enough earlier history are left out of
 * both columns alike.
 */
export function backtest(closed: readonly RunTimeline[], options: EstimatorOptions = DEFAULT_ESTIMATOR_OPTIONS): BacktestRow[] {
  const history = EstimatorHistory.from(closed);
  const judged = closed.filter((run) => ranToEnd(run.outcome) && run.endedAt !== null && run.endedAt > run.startedAt);
  const questions = judged.flatMap((run) => FRACTIONS.map((fraction, index) => ({ run, index, atMs: timeAt(run, fraction) }))).sort((a, b) => a.atMs - b.atMs);
  const ends = [...judged].sort((a, b) => endMs(a) - endMs(b));
  const baseline = new MedianDurationBaseline();
  const samples = new Map<string, Sample[][]>();
  let ended = 0;
  for (const { run, index, atMs } of questions) {
    // The baseline learns each run once it has ended, as the estimator's history does.
    while (ended < ends.length && endMs(ends[ended]!) <= atMs) {
      const done = ends[ended++]!;
      baseline.add(coarseGroup(done).key, done);
    }
    const at = new Date(atMs).toISOString();
    const estimate = estimateRun(history, timelineAt(run, at), at, options);
    if (estimate.estimatedEnd === null) continue;
    const group = coarseGroup(run);
    const naive = baseline.remaining(group.key, atMs - Date.parse(run.startedAt));
    if (naive === null) continue;
    const end = endMs(run);
    const sample = {
      estimator: Math.abs(Date.parse(estimate.estimatedEnd) - end) / 1000,
      baseline: Math.abs(atMs + naive - end) / 1000,
      covered: Date.parse(estimate.p10End) <= end && end <= Date.parse(estimate.p90End),
    };
    for (const name of [group.label, ...(run.well === null ? [WITHOUT_WELLS] : []), 'overall']) {
      const rows = samples.get(name) ?? FRACTIONS.map((): Sample[] => []);
      rows[index]!.push(sample);
      samples.set(name, rows);
    }
  }
  const order = [...samples.keys()].filter((name) => name !== 'overall' && name !== WITHOUT_WELLS).sort();
  return [...order, WITHOUT_WELLS, 'overall'].filter((name) => samples.has(name)).map((name) => ({ group: name, cells: samples.get(name)!.map(summarise) }));
}

function summarise(list: readonly Sample[]): BacktestCell | null {
  if (list.length === 0) return null;
  return {
    runs: list.length,
    estimator: median(list.map((s) => s.estimator)),
    baseline: median(list.map((s) => s.baseline)),
    coverage: list.filter((s) => s.covered).length / list.length,
  };
}

/** The baseline's group: the procedure, tube and plate apart (never a single well). */
function coarseGroup(run: RunTimeline): { key: string; label: string } {
  const groups = groupsFor(run);
  const coarse = groups[groups.length - 1]!;
  return { key: coarse.key, label: coarse.label === 'tube' || coarse.label === 'plate' ? `${run.procedure} (${coarse.label})` : coarse.label };
}

function endMs(run: RunTimeline): number {
  return Date.parse(run.endedAt as string);
}

function timeAt(run: RunTimeline, fraction: number): number {
  const start = Date.parse(run.startedAt);
  return Math.round(start + fraction * (endMs(run) - start));
}
