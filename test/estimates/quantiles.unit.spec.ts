import { describe, expect, it } from 'vitest';
import { median, quantileOfSorted, weightedQuantileOfSorted } from '../../src/shared/quantiles.ts';

describe('quantiles', () => {
  it('interpolates between neighbours', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantileOfSorted([10, 20, 30, 40, 50], 0.1)).toBeCloseTo(14);
    expect(() => quantileOfSorted([], 0.5)).toThrow(RangeError);
  });

  it('with equal weights gives the usual median, with weights leans to the heavier values', () => {
    const equal = [1, 2, 3, 4].map((value) => ({ value, weight: 1 }));
    expect(weightedQuantileOfSorted(equal, 0.5)).toBe(2.5);
    expect(weightedQuantileOfSorted(equal, 0)).toBe(1);
    expect(weightedQuantileOfSorted(equal, 1)).toBe(4);
    const leaning = [
      { value: 10, weight: 1 },
      { value: 20, weight: 1 },
      { value: 30, weight: 8 },
    ];
    expect(weightedQuantileOfSorted(leaning, 0.5)).toBeGreaterThan(25);
    expect(weightedQuantileOfSorted(leaning, 0.1)).toBeGreaterThan(10);
    expect(weightedQuantileOfSorted(leaning, 0.1)).toBeLessThan(weightedQuantileOfSorted(leaning, 0.9));
  });
});
