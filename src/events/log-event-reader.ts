import { launchTimeFromName } from '../parser/log-file-name.ts';
import type { ParsedLine } from '../parser/log-record.ts';
import { classifyMessage } from './classify-message.ts';
import { withinLineLimit } from './line-event-limit.ts';
import type { LogEvent, LogEventPayload, SourceKey } from './log-events.ts';
import type { LocalToUtc } from './local-time.ts';

/** What a reader must remember to resume a file mid-way (kept in an agent's checkpoint). */
export interface LogEventReaderState {
  /** `log_opened` was emitted. */
  opened: boolean;
  /** Local time of the last readable line (for unparsed lines and for `log_ended`). */
  lastTimestamp: string | null;
  /**
   * That time in UTC, as read: it tells which of a repeated hour's two readings the next line
   * has (see local-time.ts), so the file's times run forward across clock changes.
   */
  lastUtc: string | null;
}

/**
 * Turns one file's parsed lines into log events with their source keys. Stateful only in what
 * the file itself implies: whether the launch was announced, and the last readable time. The
 * same reader serves `import`, `runs` and the agent (whose checkpoint keeps its state), so all
 * three read a line alike: its events within the line limit, its time in the file's order.
 */
export class LogEventReader {
  readonly file: string;
  private readonly toUtc: LocalToUtc;
  private readonly launchTime: string | null;
  private state: LogEventReaderState;

  constructor(file: string, toUtc: LocalToUtc, resume?: LogEventReaderState) {
    this.file = file;
    this.toUtc = toUtc;
    this.launchTime = launchTimeFromName(file);
    this.state = resume ? { ...resume } : { opened: false, lastTimestamp: null, lastUtc: null };
  }

  get resumeState(): LogEventReaderState {
    return { ...this.state };
  }

  /** The events of one line, in order (a glued line gives several, numbered by `index`). */
  read(line: ParsedLine, out: LogEvent[] = []): LogEvent[] {
    if (!this.state.opened) {
      // A launch is announced before the file's first line, at the launch time in its name.
      const opened = this.launchTime ?? (line.kind === 'record' ? line.timestamp : null) ?? '1970-01-01 00:00:00.000';
      this.state.opened = true;
      const at = this.state.lastUtc ?? this.advance(opened);
      out.push({ type: 'log_opened', at, source: { file: this.file, offset: 0, index: -1, line: 0 } });
    }
    if (line.kind === 'unparsed') {
      const at = this.state.lastUtc ?? this.advance(this.state.lastTimestamp as string);
      out.push({ type: 'line_unparsed', reason: line.reason, at, source: { file: this.file, offset: line.lineStart, index: 0, line: line.lineNumber } });
      return out;
    }
    const at = this.advance(line.timestamp);
    const payloads = withinLineLimit(classifyMessage(line.message, line.user));
    for (let index = 0; index < payloads.length; index++) {
      const source: SourceKey = { file: this.file, offset: line.lineStart, index, line: line.lineNumber };
      out.push(withEnvelope(payloads[index] as LogEventPayload, at, source));
    }
    return out;
  }

  /**
   * The file has ended (a newer one appeared, or old files are imported): `log_ended` at the time
   * of its last readable line, keyed at the file's length.
   */
  end(fileLength: number): LogEvent[] {
    const out: LogEvent[] = [];
    const last = this.state.lastUtc ?? (this.launchTime === null ? null : this.advance(this.launchTime));
    if (last === null) return out;
    if (!this.state.opened) {
      out.push({ type: 'log_opened', at: last, source: { file: this.file, offset: 0, index: -1, line: 0 } });
      this.state.opened = true;
    }
    out.push({ type: 'log_ended', at: last, source: { file: this.file, offset: fileLength, index: 0, line: 0 } });
    return out;
  }

  /** The UTC time of a local time read next in this file (after the last one: see local-time.ts). */
  private advance(local: string): string {
    const at = this.toUtc(local, this.state.lastUtc);
    this.state.lastTimestamp = local;
    this.state.lastUtc = at;
    return at;
  }
}

// The payload is fresh from the classifier and owned here: completed in place, not copied.
function withEnvelope(payload: LogEventPayload, at: string, source: SourceKey): LogEvent {
  const event = payload as LogEventPayload & { at: string; source: SourceKey };
  event.at = at;
  event.source = source;
  return event as LogEvent;
}
