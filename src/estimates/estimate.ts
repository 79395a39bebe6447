/** The step a run is at: its latest `executing line` (function and line). */
export interface StepRef {
  function: string;
  line: number;
}

/** A countdown for the open run, from the instrument's own past runs. Times are UTC ISO-8601. */
export interface RunEstimate {
  procedure: string;
  startedAt: string;
  step: StepRef | null;
  estimatedEnd: string;
  p10End: string;
  p90End: string;
  /** How many past runs the estimate rests on. */
  basedOnRuns: number;
  /** Which past runs were compared: `tube`, `plate`, `well A1`, or the procedure's name. */
  comparedWith: string;
}

/**
 * No countdown: too few comparable past runs to say anything honest. Says how many there were, so
 * a status can show "no estimate yet (1 past run)".
 */
export interface NoEstimate {
  procedure: string;
  startedAt: string;
  step: StepRef | null;
  estimatedEnd: null;
  p10End: null;
  p90End: null;
  basedOnRuns: number;
  reason: 'short_history';
}

export type Estimate = RunEstimate | NoEstimate;

/** The `estimate --json` / API shape (snake_case), `{"procedure": null}` when nothing runs. */
export function estimateJson(estimate: Estimate | null) {
  if (estimate === null) return { procedure: null };
  return {
    procedure: estimate.procedure,
    started_at: estimate.startedAt,
    step: estimate.step,
    estimated_end: estimate.estimatedEnd,
    p10_end: estimate.p10End,
    p90_end: estimate.p90End,
    based_on_runs: estimate.basedOnRuns,
  };
}
