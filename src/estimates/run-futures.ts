import type { Weighted } from '../shared/quantiles.ts';
import { MIN_RUNS } from './history-groups.ts';
import { paceAdjustments, remainingActive, type Match } from './run-pace.ts';
import type { OpenRunProfile, RunProfile } from './run-profile.ts';

/**
 * Remaining times (ms), one per comparable past run, weighted by recency. The open run's latest
 * mark is looked up in each past run at the same occurrence: the third pass through a loop is
 * matched with the third pass, and only runs that looped at least as often say what is left (the
 * others would have left the loop already). Too few such runs, and the last pass of runs that
 * looped less is taken; a step no past run had sends the search back to the run's previous step,
 * down to its start, which every run has.
 */
export function possibleFutures(open: OpenRunProfile, past: readonly RunProfile[], halfLife: number): Weighted[] {
  for (let mark = open.keys.length - 1; mark >= 0; mark--) {
    const key = open.keys[mark]!;
    const occurrence = open.occurrence[mark]!;
    const exact: Match[] = [];
    const nearest: Match[] = [];
    past.forEach((profile, index) => {
      const marks = profile.occurrences.get(key);
      if (marks === undefined) return;
      const weight = Math.pow(0.5, (past.length - 1 - index) / halfLife);
      if (marks.length >= occurrence) exact.push({ past: profile, mark: marks[occurrence - 1]!, weight });
      nearest.push({ past: profile, mark: marks[Math.min(occurrence, marks.length) - 1]!, weight });
    });
    const matches = exact.length >= MIN_RUNS ? exact : nearest.length >= MIN_RUNS ? nearest : null;
    if (matches !== null) return futuresFrom(open, mark, matches, paceAdjustments(open, mark, matches, past));
  }
  return [];
}

/**
 * What remained of each matched run, as a future for the open one: its active part stretched by
 * the pace adjustment, less the time the open run has already spent in the current step; its
 * waits for the user as they were, less what the open run already waited at this step. Waits are
 * the user's, so no pace touches them, and a long wait now never reads as a slow instrument.
 */
function futuresFrom(open: OpenRunProfile, mark: number, matches: readonly Match[], stretch: readonly number[]): Weighted[] {
  const inStep = open.activeNow - open.activeAt[mark]!;
  const waitedInStep = open.waitNow - open.waitAt[mark]!;
  const stillInStep: Weighted[] = [];
  const all: Weighted[] = [];
  matches.forEach((match, i) => {
    const { past, mark: j, weight } = match;
    const last = past.waitAt.length - 1;
    const factor = stretch[i]!;
    const stepActive = factor * (past.activeAt[j + 1]! - past.activeAt[j]!);
    const restActive = factor * remainingActive(match);
    const waitLeft = Math.max(0, past.waitAt[j + 1]! - past.waitAt[j]! - waitedInStep) + (past.waitAt[last]! - past.waitAt[j + 1]!);
    if (stepActive > inStep) {
      const future = { value: restActive - inStep + waitLeft, weight };
      stillInStep.push(future);
      all.push(future);
    } else {
      // The open run has outstayed that run's step: what that run did after it is still to come.
      all.push({ value: restActive - stepActive + waitLeft, weight });
    }
  });
  // Runs that had already left the step are set aside when enough remain: this step is evidently
  // a long one this time (a user still acquiring), and only runs as long say what is left.
  return stillInStep.length >= MIN_RUNS ? stillInStep : all;
}
