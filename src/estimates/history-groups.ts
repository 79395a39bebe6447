import { isAcquisition } from '../machines/run-rules.ts';
import type { RunSource } from '../machines/monitor-types.ts';
import type { RunTimeline } from './run-timeline.ts';

/** A set of comparable past runs: its map key, which runs it holds, how a status names it, and how many runs it needs. */
export interface HistoryGroup {
  key: string;
  members: GroupMembers;
  label: string;
  minRuns: number;
  /**
   * Only runs recent by this wider group's measure count: those that ended since the oldest run
   * of its window. Set for a well, whose plate shows what "recent" means.
   */
  recentIn?: HistoryGroup;
}

/**
 * Which past runs a group holds, as a store selects them: runs of this procedure and source and,
 * for an acquisition, of a tube, of any plate well, or of one well.
 */
export interface GroupMembers {
  procedure: string;
  source: RunSource;
  wells: { kind: 'any' } | { kind: 'tube' } | { kind: 'plate' } | { kind: 'well'; well: string };
}

/** Fewer comparable past runs than this and the estimator says nothing: three is the least that has a middle and a spread. */
export const MIN_RUNS = 3;

type RunKind = Pick<RunTimeline, 'procedure' | 'source' | 'well'>;

/**
 * The groups an open run is compared with, most specific first. Inferred runs (steps with no
 * start line, like the rinse after Calibration) start at their first step, so they are only
 * compared with inferred runs. Acquisitions split by tube and plate, whose lengths have nothing
 * in common (a user's Stop vs the autosampler's stop condition).
 *
 * A plate well is compared with its own past runs only when they are recent: when the well has
 * been acquired again and again among the plate's latest runs (a user re-running it while
 * setting up). Well A1 of last week's plate is another assay, another user, another stop
 * condition; the plate's latest runs (mostly this very plate) say more. The backtest measured it:
 * preferring any well with eight past runs of its own doubled the plate error (docs/estimates.md).
 */
export function groupsFor(run: RunKind): HistoryGroup[] {
  const base = `${run.source}|${run.procedure}`;
  const name = run.source === 'inferred' ? `${run.procedure} (inferred)` : run.procedure;
  const members = (wells: GroupMembers['wells']): GroupMembers => ({ procedure: run.procedure, source: run.source, wells });
  if (!isAcquisition(run.procedure)) return [{ key: base, members: members({ kind: 'any' }), label: name, minRuns: MIN_RUNS }];
  if (run.well === null) return [{ key: `${base}|tube`, members: members({ kind: 'tube' }), label: 'tube', minRuns: MIN_RUNS }];
  const plate: HistoryGroup = { key: `${base}|plate`, members: members({ kind: 'plate' }), label: 'plate', minRuns: MIN_RUNS };
  return [{ key: `${base}|well:${run.well}`, members: members({ kind: 'well', well: run.well }), label: `well ${run.well}`, minRuns: MIN_RUNS, recentIn: plate }, plate];
}

/** Every group a closed run belongs to (a well's run also counts for the plate). */
export function groupKeysOf(run: RunKind): string[] {
  return groupsFor(run).map((group) => group.key);
}
