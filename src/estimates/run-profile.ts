import type { RunTimeline, StepMark, UserWait } from './run-timeline.ts';

/** The mark every run has: its start, before any step. */
const START_KEY = 'start';

export function stepKey(step: Pick<StepMark, 'function' | 'line'>): string {
  return `${step.function}#${step.line}`;
}

/**
 * A closed run reduced to what estimates need. Its marks are the start and each step; between
 * two marks time is split into active time (the instrument working) and wait time (a user asked
 * to act). Keeping them apart is the point: a user who took five minutes to raise the tube lifter
 * says nothing about how fast the instrument runs, and must not stretch the next countdown.
 */
export interface RunProfile {
  endedAtMs: number;
  /** Mark keys: `START_KEY`, then `stepKey` of each step in order. */
  keys: string[];
  /** Active ms from the start to mark j; the last entry (index keys.length) is the run's total. */
  activeAt: Float64Array;
  /** Wait ms from the start to mark j; the last entry is the run's total wait. */
  waitAt: Float64Array;
  /** For each key, the mark indexes where it occurs, in order (loops repeat a step). */
  occurrences: Map<string, number[]>;
  /** For each key, its mean active duration in this run (ms). */
  meanDuration: Map<string, number>;
}

export function profileOf(run: RunTimeline): RunProfile {
  const startMs = Date.parse(run.startedAt);
  const endMs = Math.max(startMs, Date.parse(run.endedAt ?? run.startedAt));
  const marks = timedMarks(run, startMs, endMs);
  // The end closes the last step: one more entry than there are marks.
  const activeAt = Float64Array.from([...marks.activeAt, marks.activeNow]);
  const waitAt = Float64Array.from([...marks.waitAt, marks.waitNow]);
  const occurrences = new Map<string, number[]>();
  const totals = new Map<string, { sum: number; count: number }>();
  marks.keys.forEach((key, j) => {
    const list = occurrences.get(key);
    if (list === undefined) occurrences.set(key, [j]);
    else list.push(j);
    const total = totals.get(key) ?? { sum: 0, count: 0 };
    total.sum += (activeAt[j + 1] as number) - (activeAt[j] as number);
    total.count++;
    totals.set(key, total);
  });
  const meanDuration = new Map<string, number>();
  for (const [key, total] of totals) meanDuration.set(key, total.sum / total.count);
  return { endedAtMs: endMs, keys: marks.keys, activeAt, waitAt, occurrences, meanDuration };
}

/** The open run at `at`, in the same terms: its marks so far and where it stands now. */
export interface OpenRunProfile {
  keys: string[];
  /** Occurrence number (1-based) of each mark's key up to that mark. */
  occurrence: number[];
  /** Active ms from the start to each mark. */
  activeAt: number[];
  /** Wait ms from the start to each mark. */
  waitAt: number[];
  /** Active and wait ms from the start to `at`. */
  activeNow: number;
  waitNow: number;
}

export function openProfileOf(run: RunTimeline, atMs: number): OpenRunProfile {
  const startMs = Date.parse(run.startedAt);
  const marks = timedMarks(run, startMs, Math.max(startMs, atMs));
  const seen = new Map<string, number>();
  const occurrence = marks.keys.map((key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  });
  return { ...marks, occurrence };
}

/**
 * The run's marks up to `untilMs` (steps after it are not known yet), with the active and wait
 * time from the start to each and to `untilMs`. Times are kept in order, so no span is negative
 * whatever the log's clock did.
 */
function timedMarks(run: RunTimeline, startMs: number, untilMs: number): Omit<OpenRunProfile, 'occurrence'> {
  const clock = new ActiveClock(startMs, run.waits, untilMs);
  const keys = [START_KEY];
  const times = [startMs];
  for (const step of run.steps) {
    const t = Date.parse(step.at);
    if (t > untilMs) break;
    keys.push(stepKey(step));
    times.push(Math.max(times[times.length - 1] as number, t));
  }
  const waitAt = times.map((t) => clock.waitedBy(t));
  const activeAt = times.map((t, j) => t - startMs - (waitAt[j] as number));
  const waitNow = clock.waitedBy(untilMs);
  return { keys, activeAt, waitAt, activeNow: untilMs - startMs - waitNow, waitNow };
}

/** Wait time from a run's start up to a moment; a wait still open runs until `untilMs`. */
class ActiveClock {
  private readonly spans: Array<[number, number]>;

  constructor(
    private readonly startMs: number,
    waits: readonly UserWait[],
    untilMs: number,
  ) {
    this.spans = waits
      .map((wait): [number, number] => [Math.max(startMs, Date.parse(wait.from)), Math.min(untilMs, wait.to === null ? untilMs : Date.parse(wait.to))])
      .filter(([from, to]) => to > from);
  }

  waitedBy(t: number): number {
    let waited = 0;
    for (const [from, to] of this.spans) if (t > from) waited += Math.min(t, to) - from;
    return Math.min(waited, Math.max(0, t - this.startMs));
  }
}
