import type { LogEvent, StepExecuted } from '../events/log-events.ts';
import { Monitor } from '../machines/monitor.ts';
import type { MonitorEvent, MonitorOutput } from '../machines/monitor-types.ts';
import { StepFolder } from '../machines/step-folding.ts';
import { copyTimeline, RunTimelineCollector } from './run-timeline-collector.ts';
import type { RunTimeline } from './run-timeline.ts';

/**
 * Log events → monitor → run timelines, for bulk reading (replay, import, backtests). Steps go
 * to the machine folded (far fewer sends), while the collector still gets each step line: the
 * raw steps wait here until the batch that holds them has been through the machine, so a step
 * that opens an inferred run lands in that run. The machine's outputs go to `outputs` when given
 * (the store's projector reads both through one reader, with one machine).
 */
export class RunTimelineReader {
  readonly monitor: Monitor;
  private readonly collector: RunTimelineCollector;
  private readonly folder = new StepFolder();
  private readonly batch: MonitorEvent[] = [];
  private heldSteps: StepExecuted[] = [];

  /** `open`: the timeline so far of the run open in `monitor` (a machine restored from its snapshot). */
  constructor(monitor: Monitor = new Monitor(), open: RunTimeline | null = null) {
    this.monitor = monitor;
    this.collector = new RunTimelineCollector(open);
  }

  /** Reads one event; returns the timelines of runs closed so far that were not returned yet. */
  push(event: LogEvent, closed: RunTimeline[] = [], outputs?: MonitorOutput[]): RunTimeline[] {
    if (event.type === 'step') this.heldSteps.push(event);
    this.folder.push(event, this.batch);
    if (this.batch.length > 0) this.deliver(closed, outputs);
    return closed;
  }

  /** Sends what the folder still holds (call at the end of the events, or before asking `open`). */
  flush(closed: RunTimeline[] = [], outputs?: MonitorOutput[]): RunTimeline[] {
    this.folder.flush(this.batch);
    this.deliver(closed, outputs);
    return closed;
  }

  /** The open run after the events read so far (call `flush` first), a copy. */
  get open(): RunTimeline | null {
    const open = this.collector.open;
    return open === null ? null : copyTimeline(open);
  }

  /** The open run as it stands (call `flush` first), not a copy: for reading at once. */
  get openLive(): RunTimeline | null {
    return this.collector.open;
  }

  private deliver(closed: RunTimeline[], sink?: MonitorOutput[]): void {
    for (const event of this.batch) {
      const outputs = this.monitor.send(event);
      if (sink !== undefined) for (const output of outputs) sink.push(output);
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
