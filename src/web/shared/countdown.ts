import type { Estimate } from '../../estimates/estimate.ts';
import { formatDuration } from './format.ts';

export interface Countdown {
  /** `about 4 min left`, `any moment now`, `no estimate yet`. */
  headline: string;
  /** `ends 14:32 (14:30–14:36), from 12 past runs`. */
  detail: string;
  /** 0–1: how far the run is towards its estimated end; null without an estimate. */
  progress: number | null;
}

/**
 * What the countdown shows at `nowMs`, from the server's estimate of the open run. Counted down
 * in the page between updates, so it moves every second without asking the server.
 */
export function countdown(estimate: Estimate, nowMs: number, clock: (ms: number, seconds: boolean) => string): Countdown {
  if (estimate.estimatedEnd === null) {
    const runs = estimate.basedOnRuns === 1 ? '1 past run' : `${estimate.basedOnRuns} past runs`;
    return { headline: 'no estimate yet', detail: `too little history (${runs})`, progress: null };
  }
  const end = Date.parse(estimate.estimatedEnd);
  const start = Date.parse(estimate.startedAt);
  const left = (end - nowMs) / 1000;
  const lateEnd = Date.parse(estimate.p90End);
  const headline = left > 10 ? `about ${formatDuration(roundLeft(left))} left` : nowMs <= lateEnd ? 'any moment now' : 'taking longer than usual';
  const earlyEnd = Date.parse(estimate.p10End);
  // Seconds only matter when the whole interval is short.
  const seconds = lateEnd - earlyEnd < 10 * 60_000;
  const [early, late] = [clock(earlyEnd, seconds), clock(lateEnd, seconds)];
  const range = early === late ? '' : ` (${early}–${late})`;
  const detail = `ends ≈ ${clock(end, seconds)}${range}, from ${estimate.basedOnRuns} past runs like it (${estimate.comparedWith})`;
  const progress = end > start ? Math.min(1, Math.max(0, (nowMs - start) / (end - start))) : 1;
  return { headline, detail, progress };
}

/** Whole minutes beyond two minutes, tens of seconds below, fives under a minute: a countdown is not a stopwatch. */
function roundLeft(seconds: number): number {
  const step = seconds >= 120 ? 60 : seconds >= 60 ? 10 : 5;
  return Math.round(seconds / step) * step;
}
