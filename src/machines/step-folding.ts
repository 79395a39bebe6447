import type { LogEvent } from '../events/log-events.ts';
import type { FcsFilesSaved, MonitorEvent, StepBatch } from './monitor-types.ts';

/** The monitor's view of a log event: unparsed lines stay out, a step is a batch of one. */
export function toMonitorEvent(event: LogEvent): MonitorEvent | null {
  switch (event.type) {
    case 'line_unparsed':
    case 'line_overflow':
      return null;
    case 'step':
      return { ...event, count: 1, firstAt: event.at, firstFunction: event.function };
    case 'fcs_file_saved':
      return { ...event, count: 1 };
    default:
      return event;
  }
}

/**
 * For bulk reading (import, replay, `runs`): consecutive step events become one batch, and so do
 * consecutive saved-file events, sparing the machine most sends. The machine treats a batch
 * exactly as its events one by one: it adds the count, keeps the last step and its time, and
 * opens an inferred run from the first step's function, time and source.
 */
export class StepFolder {
  private heldSteps: StepBatch | null = null;
  private heldFiles: FcsFilesSaved | null = null;

  push(event: LogEvent, out: MonitorEvent[]): void {
    switch (event.type) {
      case 'line_unparsed':
      case 'line_overflow':
        return;
      case 'instrument_fact':
        // Facts do not touch the machine: passed on without ending a batch.
        out.push(event);
        return;
      case 'step': {
        const held = this.heldSteps;
        if (held !== null) {
          held.count++;
          held.function = event.function;
          held.line = event.line;
          held.at = event.at;
          return;
        }
        this.flush(out);
        this.heldSteps = { ...event, count: 1, firstAt: event.at, firstFunction: event.function };
        return;
      }
      case 'fcs_file_saved':
        if (this.heldFiles !== null) {
          this.heldFiles.count++;
          this.heldFiles.at = event.at;
          return;
        }
        this.flush(out);
        this.heldFiles = { ...event, count: 1 };
        return;
      default:
        this.flush(out);
        out.push(event);
    }
  }

  flush(out: MonitorEvent[]): void {
    if (this.heldSteps !== null) {
      out.push(this.heldSteps);
      this.heldSteps = null;
    }
    if (this.heldFiles !== null) {
      out.push(this.heldFiles);
      this.heldFiles = null;
    }
  }
}
