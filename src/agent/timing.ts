// Time as a dependency: the agent's waits and clock are injected so tests can run backoff and
// heartbeats fast and deterministically instead of sleeping.

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
 * comes while nobody waits is kept for the next wait, so none is lost. Runs on every poll, so it
 * allocates little: no AbortController per wait (aborting one builds a DOMException with a stack,
 * the largest cost of an idle agent when this was measured), and one abort listener for the
 * loop's whole life rather than one added and removed per wait (EventTarget's bookkeeping is
 * JavaScript, interpreted under --jitless).
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;
  /** The signal whose abort ends the current and every later wait. */
  private watched: AbortSignal | null = null;

  notify(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }

  /** Resolves on a nudge, after `ms`, or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    if (this.watched !== signal) {
      this.watched = signal;
      signal.addEventListener('abort', () => this.waiter?.(), { once: true });
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
