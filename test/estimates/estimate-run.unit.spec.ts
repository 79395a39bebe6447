import { describe, expect, it } from 'vitest';
import { estimateJson } from '../../src/estimates/estimate.ts';
import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import type { RunTimeline } from '../../src/estimates/run-timeline.ts';
import { run, s, straightSteps, t } from './run-builder.ts';

/** Past rinses, one every 1000 s: ten steps 5 s apart, 56 s long. */
function pastRinses(count: number, from = 0): RunTimeline[] {
  return Array.from({ length: count }, (_, i) => run({ start: from + i * 1000, steps: straightSteps(10, 5), end: 56 }));
}

describe('estimateRun: how much history it needs', () => {
  it('gives no estimate with fewer than 3 comparable past runs, and says how many there were', () => {
    const history = EstimatorHistory.from(pastRinses(2));
    const open = run({ start: 10_000, steps: [[1, 5]] });
    const estimate = estimateRun(history, open, t(10_006));
    expect(estimate).toMatchObject({ procedure: 'Rinse', estimatedEnd: null, p10End: null, p90End: null, basedOnRuns: 2, reason: 'short_history', step: { function: 'Rinse', line: 1 } });
  });

  it('estimates from 3 comparable past runs', () => {
    const history = EstimatorHistory.from(pastRinses(3));
    const estimate = estimateRun(history, run({ start: 10_000, steps: [[1, 5]] }), t(10_006));
    expect(estimate).toMatchObject({ basedOnRuns: 3, comparedWith: 'Rinse' });
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_056, 3);
  });

  it('has the snake_case shape of `estimate --json`, `{"procedure": null}` when nothing runs', () => {
    const history = EstimatorHistory.from(pastRinses(3));
    const estimate = estimateRun(history, run({ start: 10_000, steps: [[1, 5]] }), t(10_006));
    expect(estimateJson(estimate)).toEqual({
      procedure: 'Rinse',
      started_at: t(10_000),
      step: { function: 'Rinse', line: 1 },
      estimated_end: t(10_056),
      p10_end: t(10_056),
      p90_end: t(10_056),
      based_on_runs: 3,
    });
    expect(estimateJson(null)).toEqual({ procedure: null });
  });

  it('uses only runs that had ended by `at`', () => {
    // The third run ends at 2056 s: asked at 2050 s, only two runs had ended.
    const history = EstimatorHistory.from(pastRinses(3));
    const open = run({ start: 2_040, steps: [[1, 5]] });
    expect(estimateRun(history, open, t(2_050)).estimatedEnd).toBeNull();
    expect(estimateRun(history, run({ start: 2_060, steps: [[1, 5]] }), t(2_070)).estimatedEnd).not.toBeNull();
  });

  it('learns only from runs that ran to their end, each once, and keeps inferred runs apart', () => {
    const history = EstimatorHistory.from([
      ...pastRinses(2),
      run({ start: 3_000, steps: straightSteps(3, 5), end: 16, outcome: 'cancelled' }),
      run({ start: 4_000, steps: straightSteps(3, 5), end: 16, outcome: 'failed' }),
      run({ start: 5_000, steps: straightSteps(3, 5), end: 16, outcome: 'interrupted' }),
      run({ start: 6_000, source: 'inferred', steps: straightSteps(10, 5, 0), end: 51 }),
    ]);
    expect(history.add(run({ id: 'again', start: 7_000, steps: straightSteps(10, 5), end: 56 }))).toBe(true);
    expect(history.add(run({ id: 'again', start: 7_000, steps: straightSteps(10, 5), end: 56 }))).toBe(false);
    const estimate = estimateRun(history, run({ start: 10_000 }), t(10_000));
    expect(estimate.basedOnRuns).toBe(3);
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_056, 3);
    // Calibration ends at Instrument Idle with no completion line: unconfirmed runs count.
    expect(history.add(run({ start: 8_000, procedure: 'Calibration', end: 400, outcome: 'unconfirmed' }))).toBe(true);
    expect(estimateRun(history, run({ start: 10_000, source: 'inferred', steps: [[1, 0]] }), t(10_001))).toMatchObject({ estimatedEnd: null, basedOnRuns: 1 });
  });
});

describe('estimateRun: step progress', () => {
  /** 1, then step 2 `loops` times 10 s apart, then 3 and 0: 10·loops + 21 s long. */
  function loopingRun(start: number, loops: number, end = true): RunTimeline {
    const steps: Array<[number, number]> = [[1, 5]];
    for (let i = 1; i <= loops; i++) steps.push([2, 10 * i]);
    steps.push([3, 10 * loops + 10], [0, 10 * loops + 20]);
    return run({ procedure: 'Startup', start, steps, end: end ? 10 * loops + 21 : undefined });
  }

  it('matches a step seen for the 3rd time with the 3rd pass of past runs, not the first', () => {
    const history = EstimatorHistory.from([0, 1, 2, 3].map((i) => loopingRun(i * 1000, 3)));
    const open = run({ procedure: 'Startup', start: 10_000, steps: [[1, 5], [2, 10], [2, 20], [2, 30]] });
    const estimate = estimateRun(history, open, t(10_032));
    expect(estimate.step).toEqual({ function: 'Startup', line: 2 });
    // From the third pass (at 30 s) past runs had 21 s left; 2 s of that step are done.
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_051, 3);
    expect(s(estimate.p10End)).toBeCloseTo(10_051, 3);
    expect(s(estimate.p90End)).toBeCloseTo(10_051, 3);
  });

  it('in a loop, learns only from past runs that looped at least as often', () => {
    // Runs that looped 1…6 times; at the third pass only those with 3…6 loops say what is left.
    const history = EstimatorHistory.from([1, 2, 3, 4, 5, 6].map((loops, i) => loopingRun(i * 1000, loops)));
    const open = run({ procedure: 'Startup', start: 10_000, steps: [[1, 5], [2, 10], [2, 20], [2, 30]] });
    const estimate = estimateRun(history, open, t(10_031));
    expect(estimate.basedOnRuns).toBe(4);
    // Those runs had 21, 31, 41, 51 s left from their third pass.
    expect(s(estimate.p10End)).toBeGreaterThanOrEqual(10_051);
    expect(s(estimate.p90End)).toBeLessThanOrEqual(10_081);
    expect(s(estimate.estimatedEnd)).toBeGreaterThan(10_060);
  });

  it('when the run has looped more often than any past run, takes what followed their last pass', () => {
    const history = EstimatorHistory.from([0, 1, 2].map((i) => loopingRun(i * 1000, 2)));
    const open = run({ procedure: 'Startup', start: 10_000, steps: [[1, 5], [2, 10], [2, 20], [2, 30]] });
    const estimate = estimateRun(history, open, t(10_031));
    // After their last (second) pass, at 20 s, past runs had 21 s left.
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_051, 3);
  });

  it('falls back to the previous known step when the current one was never seen', () => {
    const history = EstimatorHistory.from(pastRinses(3));
    const open = run({ start: 10_000, steps: [[1, 5], [2, 10], [99, 12]] });
    const estimate = estimateRun(history, open, t(10_013));
    expect(estimate.step).toEqual({ function: 'Rinse', line: 99 });
    // Matched at step 2 (at 10 s, 46 s left), 3 s later.
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_056, 3);
  });

  it('a step already running longer than in most past runs is matched with the runs where it lasted as long', () => {
    // Tubes: the acquiring (step 7) lasted 5…120 s, then 1 and 0 take 6 s.
    const acquiring = [5, 10, 20, 40, 60, 80, 120];
    const history = EstimatorHistory.from(
      acquiring.map((length, i) => run({ procedure: 'Acquisition', start: i * 1000, steps: [[2, 3], [7, 6], [1, 6 + length], [0, 9 + length]], end: 12 + length })),
    );
    const open = run({ procedure: 'Acquisition', start: 10_000, steps: [[2, 3], [7, 6]] });
    const estimate = estimateRun(history, open, t(10_036));
    // Still acquiring after 30 s: only the 40, 60, 80 and 120 s acquisitions are like it.
    expect(estimate.basedOnRuns).toBe(4);
    expect(s(estimate.p10End)).toBeGreaterThanOrEqual(10_052);
    expect(s(estimate.estimatedEnd)).toBeGreaterThan(10_070);
  });
});

describe('estimateRun: waiting for the user', () => {
  /** A tube: the user takes 10 s to raise the lifter, then 32 s of work. */
  function pastTubes(count: number): RunTimeline[] {
    return Array.from({ length: count }, (_, i) =>
      run({ procedure: 'Acquisition', start: i * 1000, waits: [[0.2, 10.2]], steps: [[2, 12], [3, 15], [4, 18], [7, 21], [1, 40], [0, 43]], end: 44 }),
    );
  }

  it('while the instrument waits, counts only the work after the user acts, however long the wait', () => {
    const history = EstimatorHistory.from(pastTubes(5));
    const open = run({ procedure: 'Acquisition', start: 10_000, waits: [[0.2, null]] });
    const estimate = estimateRun(history, open, t(10_300));
    // 34 s of active time in past runs, 0.2 s of it done before the wait began.
    expect(s(estimate.estimatedEnd) - 10_300).toBeCloseTo(33.8, 3);
    expect(estimate.step).toBeNull();
  });

  it('after a long wait, neither counts the wait again nor reads it as a slow instrument', () => {
    const history = EstimatorHistory.from(pastTubes(5));
    const open = run({ procedure: 'Acquisition', start: 10_000, waits: [[0.2, 300.2]], steps: [[2, 302], [3, 305], [4, 308]] });
    const estimate = estimateRun(history, open, t(10_309));
    // From step 4 past runs had 26 s left; 1 s of it is done.
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_334, 3);
  });

  it('counts a wait still to come, as past runs had it', () => {
    const history = EstimatorHistory.from(
      [0, 1, 2].map((i) => run({ procedure: 'Shutdown', start: i * 1000, steps: [[1, 5], [2, 10], [3, 50], [0, 60]], waits: [[15, 45]], end: 61 })),
    );
    const estimate = estimateRun(history, run({ procedure: 'Shutdown', start: 10_000, steps: [[1, 5], [2, 10]] }), t(10_012));
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_061, 3);
  });
});

describe('estimateRun: which past runs are comparable', () => {
  const tube = (start: number) => run({ procedure: 'Acquisition', start, steps: [[2, 3], [0, 29]], end: 30 });
  const well = (start: number, name: string, length = 100) => run({ procedure: 'Acquisition', well: name, start, steps: [[2, 3], [0, length - 1]], end: length });
  const base = [tube(0), tube(1000), tube(2000), well(3000, 'B1'), well(4000, 'B2'), well(5000, 'B3')];

  it('compares a tube with tubes and a plate well with the plate', () => {
    const history = EstimatorHistory.from(base);
    const tubeEstimate = estimateRun(history, run({ procedure: 'Acquisition', start: 10_000 }), t(10_000));
    expect(tubeEstimate).toMatchObject({ comparedWith: 'tube', basedOnRuns: 3 });
    expect(s(tubeEstimate.estimatedEnd)).toBeCloseTo(10_030, 3);
    const wellEstimate = estimateRun(history, run({ procedure: 'Acquisition', well: 'A1', start: 10_000 }), t(10_000));
    expect(wellEstimate).toMatchObject({ comparedWith: 'plate', basedOnRuns: 3 });
    expect(s(wellEstimate.estimatedEnd)).toBeCloseTo(10_100, 3);
  });

  it("prefers a well's own runs when it has been acquired again and again lately", () => {
    const history = EstimatorHistory.from([...base, well(6000, 'A1', 60), well(6100, 'A1', 60), well(6200, 'A1', 60)]);
    const estimate = estimateRun(history, run({ procedure: 'Acquisition', well: 'A1', start: 10_000 }), t(10_000));
    expect(estimate).toMatchObject({ comparedWith: 'well A1', basedOnRuns: 3 });
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_060, 3);
  });

  it("falls back to the plate when the well's own runs are older than the plate's latest", () => {
    const wells = ['C1', 'C2', 'C3', 'C4', 'C5'].map((name, i) => well(7000 + i * 200, name));
    const history = EstimatorHistory.from([...base, well(6000, 'A1', 60), well(6100, 'A1', 60), well(6200, 'A1', 60), ...wells]);
    const estimate = estimateRun(history, run({ procedure: 'Acquisition', well: 'A1', start: 10_000 }), t(10_000), { window: 5, halfLife: 10 });
    expect(estimate).toMatchObject({ comparedWith: 'plate', basedOnRuns: 5 });
    expect(s(estimate.estimatedEnd)).toBeCloseTo(10_100, 3);
  });
});
