import type { LogEvent } from '../events/log-events.ts';
import type { LocalToUtc } from '../events/local-time.ts';
import { describeFsError, LogPathError, type LogFileRef } from '../logs/log-file-set.ts';
import { readLogFiles, type ReadLogFilesSummary } from '../logs/read-log-files.ts';
import { addCounts, emptyParseStats, type ParsedLine } from '../parser/log-record.ts';
import type { EventStore } from './event-store.ts';

export interface ImportSummary extends ReadLogFilesSummary {
  appended: number;
  duplicates: number;
}

export interface ImportOptions {
  toUtc: LocalToUtc;
  /** Bytes read so far of all the files. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Imports log files (in launch order) into the store, one transaction per file: a file is stored
 * whole or not at all, and an import that stops is finished by running it again (what is stored
 * already is skipped by its source keys). As in `runs`, a file followed by a newer one has ended.
 */
export function importLogFiles(store: EventStore, instrumentId: string, files: readonly LogFileRef[], options: ImportOptions): ImportSummary {
  const summary: ImportSummary = { ...emptyParseStats(), files: 0, events: 0, appended: 0, duplicates: 0 };
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let bytesBefore = 0;
  // Files one by one (a file whole or not at all), without waiting for the disk after each: see `bulk`.
  const importFile = (file: LogFileRef, i: number) => {
    const read = store.transaction(() => {
      try {
        return readLogFiles([file], {
          toUtc: options.toUtc,
          endNewest: i < files.length - 1,
          onProgress: (bytesRead) => options.onProgress?.(bytesBefore + bytesRead, totalBytes),
          onEvents: (events, lines) => {
            const counts = store.appendLogEvents(instrumentId, events, rawLinesOf(events, lines));
            summary.appended += counts.appended;
            summary.duplicates += counts.duplicates;
          },
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (typeof code === 'string' && !code.startsWith('SQLITE')) throw new LogPathError(`${file.path}: cannot read: ${describeFsError(error)}`);
        throw error;
      }
    });
    bytesBefore += file.size;
    addCounts<ReadLogFilesSummary>(summary, read);
  };
  store.bulk(() => files.forEach(importFile));
  return summary;
}

/** The decoded line each event came from (null for `log_opened`/`log_ended`, which no line holds). */
export function rawLinesOf(events: readonly LogEvent[], lines: readonly ParsedLine[]): Array<string | null> {
  const raws: Array<string | null> = new Array(events.length);
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as LogEvent;
    if (event.type === 'log_opened' || event.type === 'log_ended') {
      raws[i] = null;
      continue;
    }
    // Events come in line order, several per line at most: walk the lines once.
    while (at < lines.length && (lines[at] as ParsedLine).lineStart < event.source.offset) at++;
    const line = lines[at];
    raws[i] = line !== undefined && line.lineStart === event.source.offset ? line.text : null;
  }
  return raws;
}
