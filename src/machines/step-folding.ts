import type { LogEvent } from '../events/log-events.ts';
import type { MonitorEvent, StepBatch } from './monitor-types.ts';

/** The machine's view of a log event: unparsed lines stay out, a step is a batch of one. */
export function toMonitorEvent(event: LogEvent): MonitorEvent | null {
  if (event.type === 'line_unparsed') return null;
  if (event.type === 'step') return { ...event, count: 1, firstAt: event.at };
  return event;
}

/**
 * For bulk reading (import, replay, `runs`): consecutive step events of one function become one
 * batch, sparing the machine most sends. The machine treats a batch exactly as its steps one by
 * one (count, last line, last time; the first step's time and source if it opens a run).
 */
export class StepFolder {
  private held: StepBatch | null = null;

  push(event: LogEvent, out: MonitorEvent[]): void {
    if (event.type === 'line_unparsed') return;
    if (event.type === 'step') {
      const held = this.held;
      if (held !== null && held.function === event.function) {
        held.count++;
        held.line = event.line;
        held.at = event.at;
        return;
      }
      this.flush(out);
      this.held = { ...event, count: 1, firstAt: event.at };
      return;
    }
    this.flush(out);
    out.push(event);
  }

  flush(out: MonitorEvent[]): void {
    if (this.held !== null) {
      out.push(this.held);
      this.held = null;
    }
  }
}
