import { launchTimeFromName } from '../parser/log-file-name.ts';
import type { ParsedLine } from '../parser/log-record.ts';
import { classifyMessage } from './classify-message.ts';
import type { LogEvent, LogEventPayload, SourceKey } from './log-events.ts';
import type { LocalToUtc } from './local-time.ts';

/** What a reader must remember to resume a file mid-way (kept in an agent's checkpoint). */
export interface LogEventReaderState {
  /** `log_opened` was emitted. */
  opened: boolean;
  /** Local time of the last readable line (for unparsed lines and for `log_ended`). */
  lastTimestamp: string | null;
}

/**
 * Turns one file's parsed lines into log events with their source keys. Stateful only in what
 * the file itself implies: whether the launch was announced, and the last readable time.
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
    this.state = resume ? { ...resume } : { opened: false, lastTimestamp: null };
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
      this.state.lastTimestamp ??= opened;
      out.push({ type: 'log_opened', at: this.toUtc(opened), source: { file: this.file, offset: 0, index: -1, line: 0 } });
    }
    if (line.kind === 'unparsed') {
      const at = this.toUtc(this.state.lastTimestamp as string);
      out.push({ type: 'line_unparsed', reason: line.reason, at, source: { file: this.file, offset: line.lineStart, index: 0, line: line.lineNumber } });
      return out;
    }
    this.state.lastTimestamp = line.timestamp;
    const payloads = classifyMessage(line.message, line.user);
    if (payloads.length === 0) return out;
    const at = this.toUtc(line.timestamp);
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
    const last = this.state.lastTimestamp ?? this.launchTime;
    if (!this.state.opened) {
      if (last === null) return out;
      out.push({ type: 'log_opened', at: this.toUtc(last), source: { file: this.file, offset: 0, index: -1, line: 0 } });
      this.state.opened = true;
    }
    out.push({ type: 'log_ended', at: this.toUtc(last as string), source: { file: this.file, offset: fileLength, index: 0, line: 0 } });
    return out;
  }
}

// The payload is fresh from the classifier and owned here: completed in place, not copied.
function withEnvelope(payload: LogEventPayload, at: string, source: SourceKey): LogEvent {
  const event = payload as LogEventPayload & { at: string; source: SourceKey };
  event.at = at;
  event.source = source;
  return event as LogEvent;
}
