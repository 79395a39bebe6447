import type { LogEvent } from '../events/log-events.ts';
import type { MonitorOutput, Run } from '../machines/monitor-types.ts';
import type { RunTimeline } from './run-timeline.ts';

/**
 * Builds run timelines beside a monitor: the machine decides when runs open and close (the rules
 * of docs/attune-logs.md live there, not here); this only notes, between those outputs, every step
 * line and user wait of the open run. The machine keeps only the latest step, and the estimator
 * needs the whole sequence. Feed it every log event with what the monitor said for it (for a
 * folded batch of steps: its first step with the outputs, the others with none).
 */
export class RunTimelineCollector {
  /** `open`: the open run's timeline so far, when picking up where an earlier collector stopped. */
  constructor(private current: RunTimeline | null = null) {}

  /** The open run so far (its steps and waits up to the last event seen), or null. */
  get open(): RunTimeline | null {
    return this.current;
  }

  /** Records one event after the monitor handled it; returns the timelines of runs it closed. */
  observe(event: LogEvent, outputs: readonly MonitorOutput[]): RunTimeline[] {
    const closed: RunTimeline[] = [];
    for (const output of outputs) {
      if (output.type === 'run_closed') closed.push(this.close(output.run));
      else if (output.type === 'run_opened') this.current = emptyTimeline(output.run);
    }
    // After the outputs: a step that opens an inferred run is that run's first step.
    const open = this.current;
    if (open === null) return closed;
    switch (event.type) {
      case 'step':
        // The machine reads a step as the end of any wait for the user: so does the timeline.
        endWait(open, event.at);
        open.steps.push({ function: event.function, line: event.line, at: event.at });
        break;
      case 'user_action_required':
        if (!isWaiting(open)) open.waits.push({ from: event.at, to: null });
        break;
      case 'user_action_completed':
        endWait(open, event.at);
        break;
      default:
        break;
    }
    return closed;
  }

  private close(run: Run): RunTimeline {
    const timeline = this.current !== null && this.current.id === run.id ? this.current : emptyTimeline(run);
    this.current = null;
    const endedAt = run.endedAt ?? run.startedAt;
    endWait(timeline, endedAt);
    return { ...timeline, endedAt, outcome: run.outcome };
  }
}

/**
 * What a closed run looked like while it was running at `at`: its steps and waits up to then.
 * The backtest asks the estimator about past runs through this, as if they were live.
 */
export function timelineAt(run: RunTimeline, at: string): RunTimeline {
  return {
    ...run,
    endedAt: null,
    outcome: null,
    steps: run.steps.filter((step) => step.at <= at),
    waits: run.waits.filter((wait) => wait.from <= at).map((wait) => (wait.to === null || wait.to > at ? { from: wait.from, to: null } : wait)),
  };
}

function emptyTimeline(run: Run): RunTimeline {
  return { id: run.id, procedure: run.procedure, source: run.source, well: run.well, startedAt: run.startedAt, endedAt: null, outcome: null, steps: [], waits: [] };
}

export function copyTimeline(run: RunTimeline): RunTimeline {
  return { ...run, steps: [...run.steps], waits: run.waits.map((wait) => ({ ...wait })) };
}

function isWaiting(run: RunTimeline): boolean {
  const last = run.waits[run.waits.length - 1];
  return last !== undefined && last.to === null;
}

function endWait(run: RunTimeline, at: string): void {
  const last = run.waits[run.waits.length - 1];
  if (last !== undefined && last.to === null) last.to = at;
}
