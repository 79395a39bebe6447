import type { RunTimeline } from '../../src/estimates/run-timeline.ts';

/**
 * The naive countdown the estimator must beat: the median length of the same procedure's past
 * runs, minus the time elapsed, never below zero. Fed runs as they end and asked in time order,
 * it keeps each group's lengths sorted so a median costs nothing.
 */
export class MedianDurationBaseline {
  private readonly sorted = new Map<string, number[]>();

  add(groupKey: string, run: RunTimeline): void {
    const duration = Date.parse(run.endedAt as string) - Date.parse(run.startedAt);
    const list = this.sorted.get(groupKey) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as number) <= duration) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, duration);
    this.sorted.set(groupKey, list);
  }

  /** Remaining ms after `elapsedMs`, or null when the group has no past run. */
  remaining(groupKey: string, elapsedMs: number): number | null {
    const list = this.sorted.get(groupKey);
    if (list === undefined || list.length === 0) return null;
    const middle = list.length / 2;
    const median = list.length % 2 === 1 ? (list[Math.floor(middle)] as number) : ((list[middle - 1] as number) + (list[middle] as number)) / 2;
    return Math.max(0, median - elapsedMs);
  }
}
