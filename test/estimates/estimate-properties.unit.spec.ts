import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import { timelineAt } from '../../src/estimates/run-timeline-collector.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';
import { Random } from '../../src/synthetic/random.ts';
import { run, s, t } from './run-builder.ts';

/** A run of `procedure` from step lengths (s) and an optional wait (from, length) after the start. */
function runOf(start: number, lengths: readonly number[], wait: [number, number] | null, procedure = 'Debubble', loopAt = -1): RunTimeline {
  const steps: Array<[number, number]> = [];
  let at = 2;
  lengths.forEach((length, i) => {
    steps.push([i === loopAt ? 1 : i + 1, at]);
    at += length;
  });
  steps.push([0, at]);
  const waits: Array<[number, number | null]> = wait === null ? [] : [[wait[0], wait[0] + wait[1]]];
  return run({ procedure, start, steps: steps.map(([line, when]) => [line, when + (wait !== null && when >= wait[0] ? wait[1] : 0)]), waits, end: at + 1 + (wait?.[1] ?? 0) });
}

const runShape = fc.record({
  lengths: fc.array(fc.double({ min: 0.5, max: 30, noNaN: true }), { minLength: 1, maxLength: 12 }),
  wait: fc.option(fc.tuple(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 1, max: 300, noNaN: true })), { nil: null }),
  loopAt: fc.integer({ min: -1, max: 11 }),
});

describe('estimateRun: invariants over random histories', () => {
  it('p10 ≤ estimate ≤ p90, never before `at`, and the same answer however the history was built', () => {
    fc.assert(
      fc.property(fc.array(runShape, { minLength: 3, maxLength: 15 }), runShape, fc.double({ min: 0, max: 1, noNaN: true }), (past, current, fraction) => {
        const runs = past.map((shape, i) => runOf(i * 1000, shape.lengths, shape.wait, 'Debubble', shape.loopAt));
        const whole = runOf(100_000, current.lengths, current.wait, 'Debubble', current.loopAt);
        const atMs = Date.parse(whole.startedAt) + fraction * (Date.parse(whole.endedAt!) - Date.parse(whole.startedAt));
        const at = new Date(Math.round(atMs)).toISOString();
        const open = timelineAt(whole, at);
        const estimate = estimateRun(EstimatorHistory.from(runs), open, at);
        if (estimate.estimatedEnd === null) throw new Error('3 or more past runs must give an estimate');
        expect(estimate.p10End <= estimate.estimatedEnd && estimate.estimatedEnd <= estimate.p90End).toBe(true);
        expect(estimate.estimatedEnd >= at).toBe(true);
        expect(estimateRun(EstimatorHistory.from([...runs].reverse()), open, at)).toEqual(estimate);
        expect(estimateRun(EstimatorHistory.from(runs), open, at)).toEqual(estimate);
      }),
      { numRuns: 300 },
    );
  });
});

describe('estimateRun: pace', () => {
  /** Twenty 10 s steps, each stretched by `pace` and by `noise` (a per-step factor). */
  function pacedRun(start: number, pace: number, noise: () => number = () => 1): RunTimeline {
    return runOf(start, Array.from({ length: 20 }, () => 10 * pace * noise()), null, 'Startup');
  }

  it('stretches the countdown of a run going slowly when past runs show that slow starts finish slowly', () => {
    const paces = [0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 0.75, 0.85, 0.95, 1.05, 1.15];
    const history = EstimatorHistory.from(paces.map((pace, i) => pacedRun(i * 1000, pace)));
    const remainingAt = (pace: number) => {
      const whole = pacedRun(100_000, pace);
      const at = t(100_000 + 2 + 10 * 10 * pace + 1);
      return s(estimateRun(history, timelineAt(whole, at), at).estimatedEnd) - s(at);
    };
    // Ten steps of 10 s (× pace) remain, less the 1 s done, plus the last second.
    expect(remainingAt(1.3)).toBeCloseTo(130, 0);
    expect(remainingAt(0.7)).toBeCloseTo(70, 0);
  });

  it('does not chase step-to-step noise when runs do not differ in pace', () => {
    const random = new Random(7);
    const noise = () => random.logNormal(1, 0.25);
    const history = EstimatorHistory.from(Array.from({ length: 30 }, (_, i) => pacedRun(i * 1000, 1, noise)));
    // Ten steps that happened to be 40 % slow: the rest of the run is not.
    const whole = pacedRun(100_000, 1.4);
    const at = t(100_000 + 2 + 140 + 1);
    const remaining = s(estimateRun(history, timelineAt(whole, at), at).estimatedEnd) - s(at);
    expect(remaining).toBeGreaterThan(85);
    expect(remaining).toBeLessThan(120);
  });
});
