import { durationQuantile } from '../../shared/quantiles.ts';

export type Bucket = 'day' | 'week';

export interface DurationPoint {
  /** The local date the bucket starts on (`YYYY-MM-DD`; a week starts on Monday). */
  start: string;
  runs: number;
  medianS: number;
  p90S: number;
}

export interface DurationSeries {
  procedure: string;
  runs: number;
  points: DurationPoint[];
}

/**
 * Each procedure's durations per day or week (in the viewer's zone): median and p90 per bucket,
 * the procedures with the most runs first. Input: completed runs, any order.
 */
export function durationSeries(runs: ReadonlyArray<{ procedure: string; startedAt: string; durationS: number | null }>, bucket: Bucket, zone: string): DurationSeries[] {
  const dateOf = localDate(zone);
  const byProcedure = new Map<string, Map<string, number[]>>();
  for (const run of runs) {
    if (run.durationS === null) continue;
    const date = dateOf(run.startedAt);
    const start = bucket === 'day' ? date : mondayOf(date);
    let buckets = byProcedure.get(run.procedure);
    if (buckets === undefined) byProcedure.set(run.procedure, (buckets = new Map()));
    const values = buckets.get(start);
    if (values === undefined) buckets.set(start, [run.durationS]);
    else values.push(run.durationS);
  }
  const series = [...byProcedure].map(([procedure, buckets]) => {
    const points = [...buckets]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([start, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return { start, runs: sorted.length, medianS: durationQuantile(sorted, 0.5), p90S: durationQuantile(sorted, 0.9) };
      });
    return { procedure, runs: points.reduce((sum, point) => sum + point.runs, 0), points };
  });
  return series.sort((a, b) => b.runs - a.runs || (a.procedure < b.procedure ? -1 : 1));
}

/** UTC ISO time → the local date in `zone`, `YYYY-MM-DD`. */
export function localDate(zone: string): (iso: string) => string {
  // en-CA formats dates as YYYY-MM-DD.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (iso) => format.format(new Date(iso));
}

/** The Monday on or before a `YYYY-MM-DD` date. */
export function mondayOf(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** Whether `zone` is a time zone this runtime knows (IANA name or UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
