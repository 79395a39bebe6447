// Time as a dependency: the agent, the connectivity watcher and the live feed read the clock (and
// schedule their ticks) through these, so tests move time forward instead of sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Runs `tick` every `ms` until the returned function is called. */
export type Every = (ms: number, tick: () => void) => () => void;

export const realEvery: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  // A tick never keeps the process alive on its own: the HTTP server does, until it closes.
  timer.unref();
  return () => clearInterval(timer);
};
