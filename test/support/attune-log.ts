import { LogEventReader } from '../../src/events/log-event-reader.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { Monitor } from '../../src/machines/monitor.ts';
import type { MonitorOutput } from '../../src/machines/monitor-types.ts';
import { LogParser } from '../../src/parser/log-parser.ts';
import { RunsReportCollector, type RunsReport } from '../../src/reports/runs-report.ts';

export interface LineOptions {
  user?: string;
  level?: string;
  category?: string;
  code?: number | string;
}

/** One Attune log line (no line end), fields quoted as the software does when needed. */
export function logLine(time: string, message: string, options: LineOptions = {}): string {
  const fields = [time, options.level ?? 'Info', options.user ?? '', options.category ?? 'Instrument', message, String(options.code ?? 4132)];
  return fields.map(quoteIfNeeded).join(',');
}

export function quoteIfNeeded(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function logText(lines: readonly string[], lineEnd = '\n'): string {
  return lines.map((line) => line + lineEnd).join('');
}

/** A named log's lines → events, as the reading pipeline would give them. */
export function eventsOf(name: string, bytes: string | Uint8Array, options: { ended?: boolean; zone?: string } = {}): LogEvent[] {
  const parser = new LogParser({ file: name });
  const reader = new LogEventReader(name, localToUtcConverter(options.zone ?? 'UTC'));
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const events: LogEvent[] = [];
  for (const line of parser.push(data)) reader.read(line, events);
  if (options.ended) {
    for (const line of parser.end()) reader.read(line, events);
    events.push(...reader.end(parser.offset));
  }
  return events;
}

/** Files in launch order (all but the last ended) → runs, sessions, alerts, fed one event at a time. */
export function reportOf(files: ReadonlyArray<{ name: string; text: string | Uint8Array }>, options: { endNewest?: boolean; zone?: string } = {}): RunsReport & { monitor: Monitor; outputs: MonitorOutput[] } {
  const monitor = new Monitor();
  const collector = new RunsReportCollector();
  const outputs: MonitorOutput[] = [];
  files.forEach((file, i) => {
    const ended = i < files.length - 1 || options.endNewest === true;
    for (const event of eventsOf(file.name, file.text, { ended, zone: options.zone })) {
      const out = monitor.feed(event);
      outputs.push(...out);
      collector.add(out);
    }
  });
  return { ...collector.report(monitor.context.run), monitor, outputs };
}

/** A run's essentials, for readable assertions. */
export function runSummary(run: { procedure: string; source: string; outcome: string | null; outcomeCode: string | null; startedAt: string; endedAt: string | null; user: string | null; well: string | null }) {
  return { procedure: run.procedure, source: run.source, outcome: run.outcome, code: run.outcomeCode, startedAt: run.startedAt, endedAt: run.endedAt, user: run.user, well: run.well };
}
