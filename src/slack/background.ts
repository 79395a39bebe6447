import type { Logger } from 'pino';

/**
 * Slack calls made off the path that triggered them (a feed change, a tick): their failures are
 * logged, never thrown into the live feed. `settled()` waits until none is left, for an orderly
 * stop and for tests.
 */
export class Background {
  private readonly pending = new Set<Promise<void>>();
  private detached = false;

  constructor(private readonly log: Logger) {}

  run(what: string, task: () => Promise<void>): Promise<void> {
    const promise = task()
      .catch((error: unknown) => {
        // Left behind by a stop (the database may be closed by now): its work stays queued.
        if (this.detached) this.log.debug({ err: error }, `Slack: ${what} ended after the stop`);
        else this.log.error({ err: error }, `Slack: ${what} failed`);
      })
      .finally(() => this.pending.delete(promise));
    this.pending.add(promise);
    return promise;
  }

  /** After a stop that did not wait for everything: what still ends is not an error any more. */
  detach(): void {
    this.detached = true;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** Runs tasks one after another per key (an alert id, an instrument), so a resolve never overtakes its raise. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
