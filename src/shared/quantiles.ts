/** The q-quantile of ascending `sorted` values, interpolating between neighbours (q in [0, 1]). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(sorted.length - 1, below + 1)] as number;
  return low + (high - low) * (position - below);
}

/** A quantile of durations in seconds, rounded to the millisecond (the precision of the log's times). */
export function durationQuantile(sortedSeconds: readonly number[], q: number): number {
  return Math.round(quantileOfSorted(sortedSeconds, q) * 1000) / 1000;
}

export function median(values: readonly number[]): number {
  return quantileOfSorted([...values].sort((a, b) => a - b), 0.5);
}

/** A value and how much it counts. */
export interface Weighted {
  value: number;
  weight: number;
}

/**
 * The q-quantile of weighted values sorted by value: each value sits at the middle of its
 * weight's share, and between two such points the quantile is interpolated. With equal weights
 * this is the usual median; q below the first point or above the last gives that end value.
 */
export function weightedQuantileOfSorted(sorted: readonly Weighted[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const total = sorted.reduce((sum, item) => sum + item.weight, 0);
  const target = Math.min(1, Math.max(0, q)) * total;
  let before = 0;
  let previous: { at: number; value: number } | null = null;
  for (const item of sorted) {
    const at = before + item.weight / 2;
    if (target <= at) {
      if (previous === null || at === previous.at) return item.value;
      return previous.value + ((item.value - previous.value) * (target - previous.at)) / (at - previous.at);
    }
    previous = { at, value: item.value };
    before += item.weight;
  }
  return (sorted[sorted.length - 1] as Weighted).value;
}
