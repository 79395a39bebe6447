import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from '../src/events/log-events.ts';
import { localToUtcConverter } from '../src/events/local-time.ts';
import { listLogFiles } from '../src/logs/log-file-set.ts';
import { readLogFiles } from '../src/logs/read-log-files.ts';
import { openDatabase } from '../src/store/database.ts';
import { EventRowInserter, ROWS_PER_INSERT } from '../src/store/event-rows.ts';
import { EventStore } from '../src/store/event-store.ts';
import { EventTypeIds } from '../src/store/event-types.ts';
import { importLogFiles, rawLinesOf } from '../src/store/import-log-files.ts';
import { logEventFromRow, storedForm, utcMsOf, type LogEventRow } from '../src/store/stored-event.ts';
import { bigLogFile } from './big-log.ts';
import { bestOf, printRow, rate } from './measure.ts';

const INSTRUMENT = 'bench-1';

/** Import, replay and restart of the event store on a log of ≥ 1,000,000 lines, with the store's own share apart. */
export function storeBench(): void {
  const big = bigLogFile(1_000_000);
  const files = listLogFiles([big.path]);
  const toUtc = localToUtcConverter('UTC');
  const dir = mkdtempSync(join(tmpdir(), 'attune-store-bench-'));
  try {
    console.log(`\nEvent store (${big.lines.toLocaleString('en-US')} lines, ${(big.bytes / 1e6).toFixed(1)} MB, SQLite in ${tmpdir()})`);

    // The whole import, as `attune-monitor import` does it: read, parse, append, project.
    const dbPath = join(dir, 'store.db');
    const store = EventStore.open(dbPath);
    const imported = bestOf(1, () => importLogFiles(store, INSTRUMENT, files, { toUtc }));
    const events = imported.result.appended;
    printRow('import: lines/s', rate(big.lines, imported.seconds), '≥ 200,000');
    printRow('import: events appended', events.toLocaleString('en-US'));

    // Its shares: reading alone, then the store alone on events read beforehand.
    const batches: Array<{ events: LogEvent[]; raws: Array<string | null> }> = [];
    const reading = bestOf(1, () =>
      readLogFiles(files, { toUtc, onEvents: (chunk, lines) => batches.push({ events: chunk, raws: rawLinesOf(chunk, lines) }) }),
    );
    printRow('  share: read + parse + events: lines/s', rate(big.lines, reading.seconds));
    const appendOnly = bestOf(1, () => {
      const fresh = EventStore.open(join(dir, 'append.db'));
      fresh.transaction(() => {
        for (const batch of batches) fresh.appendLogEvents(INSTRUMENT, batch.events, batch.raws);
      });
      fresh.close();
    });
    printRow('  share: append, machines, tables: events/s', rate(events, appendOnly.seconds));
    const insertOnly = bestOf(1, () => {
      // The bare table, no store around it: what the insert alone costs.
      const fresh = openDatabase(join(dir, 'insert.db'));
      const rows = new EventRowInserter(fresh);
      const types = new EventTypeIds(fresh);
      const fileId = Number(fresh.prepare('INSERT INTO log_files (instrument_id, name) VALUES (?, ?)').run(INSTRUMENT, big.name).lastInsertRowid);
      const recordedAt = Date.now();
      fresh.transaction(() => {
        for (const batch of batches) {
          batch.events.forEach((event, i) => {
            const { offset, index, line } = event.source;
            const occurredMs = utcMsOf(event.at);
            const form = storedForm(event, occurredMs, batch.raws[i] ?? null);
            rows.add(null, types.idOf(event.type), occurredMs, form.data, recordedAt, fileId, offset, index, line, form.raw, form.localOffsetMin);
            if (rows.buffered === ROWS_PER_INSERT) rows.flush();
          });
        }
        rows.flush();
      })();
      fresh.close();
    });
    printRow('  share: insert only (no machines): events/s', rate(events, insertOnly.seconds));
    batches.length = 0;

    // Replay: every projection dropped and rebuilt from the events.
    const replay = bestOf(2, () => store.replay());
    printRow('replay: events/s', rate(replay.result.events, replay.seconds), '≥ 300,000');
    const reader = openDatabase(dbPath);
    const scan = reader.prepare('SELECT global_position, type, occurred_at, data, log_file, source_offset, source_index, line_number FROM events WHERE log_file IS NOT NULL ORDER BY log_file, source_offset, source_index').raw();
    const readOnly = bestOf(2, () => {
      let n = 0;
      for (const row of scan.iterate() as Iterable<LogEventRow>) if (logEventFromRow(row).type === 'step') n++;
      return n;
    });
    printRow('  share: read + decode events only: events/s', rate(replay.result.events, readOnly.seconds));

    reader.close();
    // The last connection to close writes the WAL back into the file: its size is the store's.
    store.close();
    const bytes = statSync(dbPath).size;
    printRow('database size per 1,000,000 lines: MB', ((bytes / big.lines) * 1e6 / 1e6).toFixed(1));
    printRow('database size per event: bytes', Math.round(bytes / events).toString());

    // Restart: open the database (migrations checked), restore the machine from its snapshot, status.
    const restartOnce = () => {
      const reopened = EventStore.open(dbPath);
      const status = reopened.instrumentStatus(INSTRUMENT);
      reopened.close();
      if (status === null) throw new Error('restart found no stored state');
    };
    const restart = bestOf(5, restartOnce);
    printRow('restart from the snapshot: ms (CPU)', (restart.seconds * 1000).toFixed(1), '< 1,000');
    // It waits on the disk too: its wall time, the slowest of five.
    let slowest = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      restartOnce();
      slowest = Math.max(slowest, performance.now() - started);
    }
    printRow('restart from the snapshot: ms (wall, slowest)', slowest.toFixed(1), '< 1,000');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
