import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import { DEFAULT_MAX_LINE_BYTES } from '../../src/parser/log-parser.ts';
import { sourceKeyOf, type StoredEvent } from './fake-ingest-server.ts';

// The reference every agent test compares with: what the core reading pipeline makes of the
// same files. The agent must deliver exactly these events: none lost, none doubled, none
// different.

export function expectedEvents(logsDir: string, timeZone: string, endNewest = false): Map<string, LogEvent> {
  const expected = new Map<string, LogEvent>();
  readLogFiles(listLogFiles([logsDir]), {
    toUtc: localToUtcConverter(timeZone),
    endNewest,
    onEvents: (events) => {
      for (const event of events) {
        const key = sourceKeyOf(event.source);
        if (expected.has(key)) throw new Error(`the core produced two events under ${key}`);
        expected.set(key, event);
      }
    },
  });
  return expected;
}

export function eventsByKey(store: ReadonlyMap<string, StoredEvent>): Map<string, LogEvent> {
  return new Map([...store].map(([key, stored]) => [key, stored.event]));
}

/** Every stored raw line is the file's line at the event's offset; log_opened/log_ended have none. */
export function rawMismatches(logsDir: string, store: ReadonlyMap<string, StoredEvent>): string[] {
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const [key, { event, raw }] of store) {
    if (event.type === 'log_opened' || event.type === 'log_ended') {
      if (raw !== null) problems.push(`${key}: ${event.type} carries a raw line`);
      continue;
    }
    let bytes = files.get(event.source.file);
    if (!bytes) files.set(event.source.file, (bytes = readFileSync(join(logsDir, event.source.file))));
    let end = bytes.indexOf(0x0a, event.source.offset);
    if (end === -1) end = bytes.length;
    // A line over the parser's limit is kept as its first DEFAULT_MAX_LINE_BYTES bytes.
    if (event.type === 'line_unparsed' && event.reason === 'line_too_long') end = Math.min(end, event.source.offset + DEFAULT_MAX_LINE_BYTES);
    let line = bytes.toString('utf8', event.source.offset, end).replace(/\r$/, '');
    if (event.source.offset === 0) line = line.replace(/^\uFEFF/, '');
    if (raw !== line) problems.push(`${key}: raw ${JSON.stringify(raw)} is not the line ${JSON.stringify(line)}`);
  }
  return problems;
}
