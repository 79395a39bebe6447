import type { LogEvent } from '../events/log-events.ts';
import type { LogEventReader } from '../events/log-event-reader.ts';
import type { ParsedLine } from '../parser/log-record.ts';
import type { EventItem } from '../protocol/events-api.ts';

/**
 * The events of parsed lines, each paired with the raw line it came from (the server keeps it for
 * inspection). `log_opened` is announced before the first line and `log_ended` after the last:
 * they come from no line, so their raw is null.
 */
export function eventItemsOfLines(reader: LogEventReader, lines: readonly ParsedLine[], out: EventItem[] = []): EventItem[] {
  const events: LogEvent[] = [];
  for (const line of lines) {
    events.length = 0;
    reader.read(line, events);
    for (const event of events) out.push({ event, raw: event.type === 'log_opened' ? null : line.text });
  }
  return out;
}

export function eventItemsOfEnd(reader: LogEventReader, fileLength: number, out: EventItem[] = []): EventItem[] {
  for (const event of reader.end(fileLength)) out.push({ event, raw: null });
  return out;
}
