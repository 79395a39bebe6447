// Time as a dependency: the agent's waits and clock are injected so tests can run backoff and
// heartbeats fast and deterministically instead of sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A nudge between loops: "there is work" (new events in the outbox, a file changed). A nudge that
 * comes while nobody waits is kept for the next wait, so none is lost.
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;

  notify(): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake();
    } else {
      this.pending = true;
    }
  }

  /** Resolves on a nudge, after `ms`, or when `signal` aborts. */
  async wait(ms: number, signal: AbortSignal, sleep: Sleep = realSleep): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return;
    }
    const local = new AbortController();
    const onAbort = () => local.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([
        sleep(ms, local.signal),
        new Promise<void>((resolve) => {
          this.waiter = resolve;
        }),
      ]);
    } finally {
      this.waiter = null;
      local.abort();
      signal.removeEventListener('abort', onAbort);
    }
  }
}
