import type { LogEvent, StepExecuted } from '../events/log-events.ts';
import { Monitor } from '../machines/monitor.ts';
import type { MonitorEvent } from '../machines/monitor-types.ts';
import { StepFolder } from '../machines/step-folding.ts';
import { copyTimeline, RunTimelineCollector } from './run-timeline-collector.ts';
import type { RunTimeline } from './run-timeline.ts';

/**
 * Log events → monitor → run timelines, for bulk reading (replay, import, backtests). Steps go
 * to the machine folded (far fewer sends), while the collector still gets each step line: the
 * raw steps wait here until the batch that holds them has been through the machine, so a step
 * that opens an inferred run lands in that run.
 */
export class RunTimelineReader {
  private readonly monitor: Monitor;
  private readonly collector = new RunTimelineCollector();
  private readonly folder = new StepFolder();
  private readonly batch: MonitorEvent[] = [];
  private heldSteps: StepExecuted[] = [];

  constructor(monitor: Monitor = new Monitor()) {
    this.monitor = monitor;
  }

  /** Reads one event; returns the timelines of runs closed so far that were not returned yet. */
  push(event: LogEvent, closed: RunTimeline[] = []): RunTimeline[] {
    if (event.type === 'step') this.heldSteps.push(event);
    this.folder.push(event, this.batch);
    this.deliver(closed);
    return closed;
  }

  /** Sends what the folder still holds (call at the end of the events, or before asking `open`). */
  flush(closed: RunTimeline[] = []): RunTimeline[] {
    this.folder.flush(this.batch);
    this.deliver(closed);
    return closed;
  }

  /** The open run after the events read so far (call `flush` first), a copy. */
  get open(): RunTimeline | null {
    const open = this.collector.open;
    return open === null ? null : copyTimeline(open);
  }

  private deliver(closed: RunTimeline[]): void {
    for (const event of this.batch) {
      const outputs = this.monitor.send(event);
      if (event.type !== 'step') {
        closed.push(...this.collector.observe(event, outputs));
        continue;
      }
      const steps = this.heldSteps.splice(0, event.count);
      steps.forEach((step, i) => closed.push(...this.collector.observe(step, i === 0 ? outputs : [])));
    }
    this.batch.length = 0;
  }
}

/** Replays an instrument's events (in order) up to `upTo` (inclusive): the runs closed by then and the one still open. */
export function replayTimelines(events: Iterable<LogEvent>, upTo?: string): { closed: RunTimeline[]; open: RunTimeline | null } {
  const reader = new RunTimelineReader();
  const closed: RunTimeline[] = [];
  for (const event of events) {
    if (upTo !== undefined && event.at > upTo) break;
    reader.push(event, closed);
  }
  reader.flush(closed);
  return { closed, open: reader.open };
}
