// Retrying a server that is down: waits grow exponentially so a struggling server is not
// hammered, are capped so the agent notices a recovery quickly, and are jittered so a lab full of
// agents restarted by the same power cut do not retry in lock-step.

export interface BackoffPolicy {
  /** The wait before the first retry (before jitter). */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

/**
 * The wait before retry number `attempt` (1 for the first retry): "equal jitter", a random point
 * in the upper half of the capped exponential step, so waits never collapse to zero yet still
 * spread out. `random` returns [0, 1) and is injected so tests are deterministic.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}
