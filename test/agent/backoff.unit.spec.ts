import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/agent/backoff.ts';

const policy = { baseMs: 500, maxMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles the step per attempt and jitters within its upper half', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(250);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(500);
    expect(backoffDelay(2, policy, () => 0)).toBe(500);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(1500);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [8, 20, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, policy, () => 0.999999)).toBeLessThanOrEqual(60_000);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(30_000);
    }
  });

  it('spreads agents that retry at the same attempt', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(4, policy, () => r)));
    expect(delays.size).toBe(5);
  });
});
