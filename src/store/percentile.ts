/**
 * The p-quantile (0 ≤ p ≤ 1) of ascending `sorted` values, interpolating linearly between the two
 * nearest ranks (the common "type 7" definition, as in spreadsheets and numpy). Rounded to the
 * millisecond, the precision of the log's times.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const rank = (sorted.length - 1) * p;
  const below = Math.floor(rank);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return Math.round((low + (high - low) * (rank - below)) * 1000) / 1000;
}
