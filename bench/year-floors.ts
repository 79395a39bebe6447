import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../src/events/log-events.ts';
import { localToUtcConverter } from '../src/events/local-time.ts';
import { listLogFiles, type LogFileRef } from '../src/logs/log-file-set.ts';
import { readLogFiles } from '../src/logs/read-log-files.ts';
import { Monitor } from '../src/machines/monitor.ts';
import { openDatabase } from '../src/store/database.ts';
import { EventRowInserter, ROWS_PER_INSERT } from '../src/store/event-rows.ts';
import { EventTypeIds } from '../src/store/event-types.ts';
import { rawLinesOf } from '../src/store/import-log-files.ts';
import { storedForm, utcMsOf } from '../src/store/stored-event.ts';

export interface YearFloors {
  /** The Python script's wall seconds, timed in turn with the parts (best of the same rounds). */
  python: number;
  /** Reading, parsing and classifying every line into events, in this process. */
  read: number;
  /** The machine alone, fed the events read beforehand (folded as `runs` and `import` fold them). */
  machine: number;
  /** The `event_stream` rows alone, inserted as `import` inserts them (a transaction per file), without machine or projections. */
  insert: number;
}

interface FileEvents {
  file: LogFileRef;
  events: LogEvent[];
  raws: Array<string | null>;
}

/**
 * What `runs` and `import` cannot do without, each part measured on its own in this process
 * (wall seconds, best of `rounds`, no process start-up): the floor under each command whatever
 * is done to the rest of its path.
 */
export function yearFloors(logsDir: string, workDir: string, rounds: number, timePython: () => number): YearFloors {
  const files = listLogFiles([logsDir]);
  const toUtc = localToUtcConverter('UTC');
  let read: FileEvents[] = [];
  const readAll = () => {
    read = files.map((file, i) => {
      const events: LogEvent[] = [];
      const raws: Array<string | null> = [];
      readLogFiles([file], {
        toUtc,
        endNewest: i < files.length - 1,
        onEvents: (chunk, lines) => {
          events.push(...chunk);
          raws.push(...rawLinesOf(chunk, lines));
        },
      });
      return { file, events, raws };
    });
  };
  const runMachine = () => {
    const monitor = new Monitor();
    for (const { events } of read) monitor.feedBulk(events);
    monitor.flushBulk();
  };
  const insertRows = (round: number) => {
    const path = join(workDir, `floor-insert-${round}.db`);
    const db = openDatabase(path);
    // As `import` writes: a file committed without waiting for the disk.
    db.pragma('synchronous = NORMAL');
    try {
      const rows = new EventRowInserter(db);
      const types = new EventTypeIds(db);
      const addFile = db.prepare('INSERT INTO log_files (instrument_id, name) VALUES (?, ?)');
      const recordedMs = Date.now();
      for (const { file, events, raws } of read) {
        db.transaction(() => {
          const fileId = Number(addFile.run('floor-1', file.name).lastInsertRowid);
          events.forEach((event, i) => {
            const { offset, index, line } = event.source;
            const occurredMs = utcMsOf(event.at);
            const form = storedForm(event, occurredMs, raws[i] ?? null);
            rows.add(null, types.idOf(event.type), occurredMs, form.data, recordedMs, fileId, offset, index, line, form.raw, form.localOffsetMin);
            if (rows.buffered === ROWS_PER_INSERT) rows.flush();
          });
          rows.flush();
        })();
      }
    } finally {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    }
  };
  // The script and each part in turn, round by round: the same moments of a noisy machine.
  const best = { python: Infinity, read: Infinity, machine: Infinity, insert: Infinity };
  for (let round = 0; round < rounds; round++) {
    best.python = Math.min(best.python, timePython());
    best.read = Math.min(best.read, seconds(readAll));
    best.machine = Math.min(best.machine, seconds(runMachine));
    best.insert = Math.min(best.insert, seconds(() => insertRows(round)));
  }
  return best;
}

function seconds(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}
