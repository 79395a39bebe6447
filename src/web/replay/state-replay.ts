import type { LogEvent } from '../../events/log-events.ts';
import { Monitor } from '../../machines/monitor.ts';
import { monitorMachine } from '../../machines/monitor-machine.ts';
import { activeStateIds } from '../statechart/chart-graph.ts';
import { eventDetail, outputWords } from './event-words.ts';

/** One move of the machine: an event that changed its state or made it announce something. */
export interface StateStep {
  at: string;
  event: LogEvent['type'];
  detail: string;
  /** Active atomic states (ids as in the statechart) before and after the event. */
  from: string[];
  to: string[];
  outputs: string[];
  source: { file: string; line: number };
}

export interface StateReplay {
  /** The window replayed: events with `from` ≤ at < `to` (UTC ISO). */
  from: string;
  to: string;
  /** Active states when the window opened. */
  initial: string[];
  steps: StateStep[];
  /** True when the window held more steps than the limit (the first ones are kept). */
  truncated: boolean;
}

export interface ReplayWindow {
  from: string;
  to: string;
}

const ROOT_ID = monitorMachine.root.id;

/**
 * How the state moved during a window, computed by feeding the stored events through a fresh
 * `Monitor` one at a time (as live) and noting every change. `events` must start at a launch
 * (`log_opened`) at or before the window, or at the instrument's first event: a launch always
 * starts from the same state, so what came before it cannot change the answer. Events arrive in
 * source order, which is time order: the first one at or after `to` ends the replay.
 */
export function replayStates(events: Iterable<LogEvent>, window: ReplayWindow, limit = 2000): StateReplay {
  const monitor = new Monitor();
  let initial: string[] | null = null;
  const steps: StateStep[] = [];
  let truncated = false;
  for (const event of events) {
    if (event.at >= window.to) break;
    const inside = event.at >= window.from;
    const before = monitor.snapshot;
    if (inside && initial === null) initial = activeStateIds(ROOT_ID, before.value);
    const outputs = monitor.feed(event);
    if (!inside) continue;
    const after = monitor.snapshot;
    if (after === before) continue;
    const from = activeStateIds(ROOT_ID, before.value);
    const to = activeStateIds(ROOT_ID, after.value);
    if (outputs.length === 0 && sameStates(from, to)) continue;
    if (steps.length === limit) {
      truncated = true;
      break;
    }
    steps.push({ at: event.at, event: event.type, detail: eventDetail(event), from, to, outputs: outputs.map(outputWords), source: { file: event.source.file, line: event.source.line } });
  }
  return { from: window.from, to: window.to, initial: initial ?? activeStateIds(ROOT_ID, monitor.snapshot.value), steps, truncated };
}

function sameStates(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
