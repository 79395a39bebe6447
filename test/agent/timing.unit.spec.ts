import { describe, expect, it, vi } from 'vitest';
import { Wakeup } from '../../src/agent/timing.ts';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

describe('Wakeup', () => {
  it('ends a wait on a nudge, keeps a nudge that came while nobody waited (once), and otherwise waits its time', async () => {
    const wakeup = new Wakeup();
    const signal = new AbortController().signal;
    const waiting = wakeup.wait(60_000, signal);
    expect(await settled(waiting)).toBe(false);
    wakeup.notify();
    expect(await settled(waiting)).toBe(true);
    wakeup.notify();
    expect(await settled(wakeup.wait(60_000, signal))).toBe(true);
    expect(await settled(wakeup.wait(60_000, signal))).toBe(false);
    const started = performance.now();
    await wakeup.wait(30, signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends the current wait and every later one when the signal aborts, with one listener however many waits', async () => {
    const wakeup = new Wakeup();
    const controller = new AbortController();
    const listen = vi.spyOn(controller.signal, 'addEventListener');
    for (let i = 0; i < 5; i++) {
      const wait = wakeup.wait(1, controller.signal);
      await wait;
    }
    const waiting = wakeup.wait(60_000, controller.signal);
    controller.abort();
    expect(await settled(waiting)).toBe(true);
    expect(await settled(wakeup.wait(60_000, controller.signal))).toBe(true);
    expect(listen).toHaveBeenCalledTimes(1);
  });
});
