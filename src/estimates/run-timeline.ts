import type { RunOutcome, RunSource } from '../machines/monitor-types.ts';

/** One `Instrument function <F> executing line <N>` of a run. */
export interface StepMark {
  function: string;
  line: number;
  /** UTC ISO-8601, like every event time. */
  at: string;
}

/** A time the instrument waited for the user (`User Action required…`); `to` is null while it still waits. */
export interface UserWait {
  from: string;
  to: string | null;
}

/**
 * A run as the estimator sees it: what it was, when, and the order and times of its steps and
 * user waits. A closed run has `endedAt` and `outcome`; the open run being estimated has neither.
 */
export interface RunTimeline {
  id: string;
  procedure: string;
  source: RunSource;
  /** Plate well of an acquisition, null for a tube or another procedure. */
  well: string | null;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome | null;
  steps: StepMark[];
  waits: UserWait[];
}

/**
 * Whether a closed run ran to its natural end, so its length says how long the procedure takes.
 * `unconfirmed` counts: Calibration never writes a completion line (it ends at Instrument Idle)
 * and a run closed by the next start had finished too. Cancelled, failed and interrupted runs
 * stopped early for reasons the next run does not share.
 */
export function ranToEnd(outcome: RunOutcome | null): boolean {
  return outcome !== null && RAN_TO_END.includes(outcome);
}

/** The outcomes of runs that ran to their end (see `ranToEnd`), for a store that selects them. */
export const RAN_TO_END: readonly RunOutcome[] = ['completed', 'unconfirmed'];
