import type { RunOutcome, RunSource } from '../../src/machines/monitor-types.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';

/** Seconds after a fixed origin as a UTC ISO time: tests read in seconds, the estimator in ISO. */
export function t(seconds: number): string {
  return new Date(Date.UTC(2024, 0, 1) + Math.round(seconds * 1000)).toISOString();
}

export interface RunSpec {
  id?: string;
  procedure?: string;
  source?: RunSource;
  well?: string | null;
  /** Start, seconds from the origin. */
  start: number;
  /** Steps as [line, seconds after the start] (function = the procedure unless given as a third item). */
  steps?: Array<[number, number] | [number, number, string]>;
  /** Waits for the user as [from, to] seconds after the start; `to` null while still waiting. */
  waits?: Array<[number, number | null]>;
  /** End, seconds after the start; omit for the open run. */
  end?: number;
  outcome?: RunOutcome;
}

let counter = 0;

export function run(spec: RunSpec): RunTimeline {
  const procedure = spec.procedure ?? 'Rinse';
  return {
    id: spec.id ?? `run-${++counter}`,
    procedure,
    source: spec.source ?? 'logged',
    well: spec.well ?? null,
    startedAt: t(spec.start),
    endedAt: spec.end === undefined ? null : t(spec.start + spec.end),
    outcome: spec.end === undefined ? null : (spec.outcome ?? 'completed'),
    steps: (spec.steps ?? []).map(([line, at, fn]) => ({ function: fn ?? procedure, line, at: t(spec.start + at) })),
    waits: (spec.waits ?? []).map(([from, to]) => ({ from: t(spec.start + from), to: to === null ? null : t(spec.start + to) })),
  };
}

/** Steps 1…n every `every` seconds from `first`, then step 0: a straight procedure with no loops. */
export function straightSteps(n: number, every: number, first = every): Array<[number, number]> {
  const steps: Array<[number, number]> = [];
  for (let line = 1; line <= n; line++) steps.push([line, first + (line - 1) * every]);
  steps.push([0, first + n * every]);
  return steps;
}

/** Seconds from the origin of an ISO time (for readable assertions). */
export function s(iso: string | null): number {
  if (iso === null) throw new Error('no time');
  return (Date.parse(iso) - Date.UTC(2024, 0, 1)) / 1000;
}
