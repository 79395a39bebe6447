import { median } from '../shared/quantiles.ts';
import { MIN_RUNS } from './history-groups.ts';
import type { OpenRunProfile, RunProfile } from './run-profile.ts';

/** A past run matched with the open run: the mark where it stood where the open run stands now. */
export interface Match {
  past: RunProfile;
  mark: number;
  weight: number;
}

/** Fewer matched runs than this with a pace of their own and no pace is learned. */
const MIN_PACE_RUNS = 5;
/** The most a run's pace may move its futures: beyond that, odd steps are speaking, not the instrument. */
const PACE_LIMIT = 2;

/**
 * How much each matched run's remaining active time should be stretched for the open run:
 * exp(slope × (open pace − that run's pace)), a pace being the median log ratio of a run's
 * finished steps to their usual length.
 *
 * Whether a slow start means a slow finish is learned, not assumed: the slope is the regression,
 * over the matched past runs, of the log of what remained on the pace up to that point. Where
 * runs differ in speed (a clogging line slows every step) the slope nears 1 and the countdown
 * stretches; where the differences between runs are step-to-step noise, the noise in the paces
 * pulls the slope towards 0 and the countdown does not chase it. A median, because one step the
 * user controls (the acquiring) can last ten times its usual and says nothing of the fluidics.
 */
export function paceAdjustments(open: OpenRunProfile, mark: number, matches: readonly Match[], past: readonly RunProfile[]): number[] {
  const usual = usualDurations(past);
  const openPace = logPace(open.keys, open.activeAt, mark, usual);
  const paces = matches.map((match) => logPace(match.past.keys, match.past.activeAt, match.mark, usual));
  const known = paces.flatMap((pace, i) => (pace === null ? [] : [{ x: pace, y: Math.log(Math.max(1, remainingActive(matches[i]!))) }]));
  if (openPace === null || known.length < MIN_PACE_RUNS) return matches.map(() => 1);
  const meanX = known.reduce((sum, p) => sum + p.x, 0) / known.length;
  const meanY = known.reduce((sum, p) => sum + p.y, 0) / known.length;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of known) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  const slope = shrunkSlope(known, meanX, meanY, covariance, variance);
  return paces.map((pace) => Math.min(PACE_LIMIT, Math.max(1 / PACE_LIMIT, Math.exp(slope * (openPace - (pace ?? meanX))))));
}

/**
 * The slope, shrunk towards 0 by its own uncertainty (positive-part James–Stein: × (1 − SE²/b²)),
 * and kept within [0, 1]: with a handful of runs a slope is mostly noise, and a countdown that
 * swings with noise is worse than one that ignores the pace.
 */
function shrunkSlope(points: ReadonlyArray<{ x: number; y: number }>, meanX: number, meanY: number, covariance: number, variance: number): number {
  if (variance <= 0 || points.length < 3) return 0;
  const slope = covariance / variance;
  if (slope <= 0) return 0;
  let residuals = 0;
  for (const { x, y } of points) residuals += (y - meanY - slope * (x - meanX)) ** 2;
  const standardErrorSquared = residuals / (points.length - 2) / variance;
  return Math.min(1, slope * Math.max(0, 1 - standardErrorSquared / (slope * slope)));
}

export function remainingActive(match: Match): number {
  const activeAt = match.past.activeAt;
  return activeAt[activeAt.length - 1]! - activeAt[match.mark]!;
}

/** Each step's usual active length: the median over past runs of its mean length in each. */
function usualDurations(past: readonly RunProfile[]): (key: string) => number | null {
  const cache = new Map<string, number | null>();
  return (key) => {
    let usual = cache.get(key);
    if (usual === undefined) {
      const means = past.map((profile) => profile.meanDuration.get(key)).filter((mean): mean is number => mean !== undefined);
      usual = means.length >= MIN_RUNS ? median(means) : null;
      cache.set(key, usual);
    }
    return usual;
  };
}

/** A run's pace over its marks before `upTo`: the median log ratio of their active lengths to the usual, null if none compare. */
function logPace(keys: readonly string[], activeAt: ArrayLike<number>, upTo: number, usual: (key: string) => number | null): number | null {
  const ratios: number[] = [];
  for (let mark = 0; mark < upTo; mark++) {
    const typical = usual(keys[mark]!);
    const actual = activeAt[mark + 1]! - activeAt[mark]!;
    if (typical !== null && typical > 0 && actual > 0) ratios.push(Math.log(actual / typical));
  }
  return ratios.length === 0 ? null : median(ratios);
}
