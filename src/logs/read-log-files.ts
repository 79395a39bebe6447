import { closeSync, openSync, readSync } from 'node:fs';
import type { LogEvent } from '../events/log-events.ts';
import { LogEventReader } from '../events/log-event-reader.ts';
import type { LocalToUtc } from '../events/local-time.ts';
import { LogParser } from '../parser/log-parser.ts';
import { addCounts, emptyParseStats, type ParsedLine, type ParseStats } from '../parser/log-record.ts';
import type { LogFileRef } from './log-file-set.ts';

const CHUNK_BYTES = 1 << 16;

export interface ReadLogFilesOptions {
  toUtc: LocalToUtc;
  /** Receives each chunk's events, in order, with the lines they came from (`[]` for `log_ended`). */
  onEvents: (events: LogEvent[], lines: readonly ParsedLine[]) => void;
  /** Called after each chunk with the bytes read so far of all files. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Whether the newest file has ended too (by default only files with a newer one after them have). */
  endNewest?: boolean;
}

export interface ReadLogFilesSummary extends ParseStats {
  files: number;
  events: number;
}

/**
 * Reads log files in launch order into events. A file followed by a newer one has ended: its
 * last line is final even without a line end, and it gets `log_ended` (rule 7). The newest file
 * may still be written to: its unfinished last line is left for a later read.
 */
export function readLogFiles(files: readonly LogFileRef[], options: ReadLogFilesOptions): ReadLogFilesSummary {
  const summary: ReadLogFilesSummary = { ...emptyParseStats(), files: files.length, events: 0 };
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let bytesBefore = 0;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  files.forEach((file, i) => {
    const ended = i < files.length - 1 || options.endNewest === true;
    const parser = new LogParser({ file: file.name });
    const reader = new LogEventReader(file.name, options.toUtc);
    const deliver = (lines: ParsedLine[]) => {
      const events: LogEvent[] = [];
      for (const line of lines) reader.read(line, events);
      summary.events += events.length;
      if (events.length > 0) options.onEvents(events, lines);
    };
    const fd = openSync(file.path, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
        if (n === 0) break;
        deliver(parser.push(buffer.subarray(0, n)));
        options.onProgress?.(bytesBefore + parser.stats.bytes, totalBytes);
      }
    } finally {
      closeSync(fd);
    }
    if (ended) {
      deliver(parser.end());
      const endEvents = reader.end(parser.offset);
      summary.events += endEvents.length;
      options.onEvents(endEvents, []);
    }
    bytesBefore += parser.stats.bytes;
    addCounts<ParseStats>(summary, parser.stats);
  });
  return summary;
}
