import type { InstrumentView } from './instrument-view.ts';

/** What a card says at a glance. */
export type CardAvailability = 'free' | 'busy' | 'offline';

/**
 * Offline when the server no longer hears from the PC (its last known status would be a guess);
 * otherwise the machine's own answer: free = no run in progress and nobody logged in.
 */
export function cardAvailability(view: InstrumentView): CardAvailability {
  return view.connectivity.state === 'offline' ? 'offline' : view.status.availability;
}

/**
 * Whether someone waiting for the instrument should be told it is free now: no run in progress
 * and nobody logged in, or nothing run for `idleMinutes` although someone is still logged in
 * (people forget to log out). Never while the server cannot see the instrument (offline, or the
 * agent cannot read the logs): a stale "free" would send people walking for nothing.
 */
export function isFreeForNextUser(view: InstrumentView, nowMs: number, idleMinutes: number | null): boolean {
  const blind = view.connectivity.state === 'offline' || view.connectivity.state === 'agent_error';
  const status = view.status;
  if (blind || status.run !== null) return false;
  if (status.availability === 'free') return true;
  if (idleMinutes === null || status.activity !== 'idle' || status.since === null) return false;
  return nowMs - Date.parse(status.since) >= idleMinutes * 60_000;
}
