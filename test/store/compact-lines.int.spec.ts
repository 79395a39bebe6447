import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/events/log-events.ts';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { importLogFiles } from '../../src/store/import-log-files.ts';
import { MIGRATIONS_DIR } from '../../src/store/migrations.ts';
import { eventData } from '../../src/store/stored-event.ts';
import { fixedClock, FIXTURE_PATH, importPaths, openStore, shiftedFixture, sqliteOf, storeContents, tempDir } from './store-test-kit.ts';

const FILE = 'System_2021-03-28_00-10-00.log';
let nextOffset = 0;

/** A step event with its line; each at its own offset of one file. */
function step(at: string, fn: string, line: number, raw: string | null): { event: LogEvent; raw: string | null } {
  const source = { file: FILE, offset: (nextOffset += 100), index: 0, line: nextOffset / 100 };
  return { event: { type: 'step', at, source, function: fn, line }, raw };
}

function login(at: string, user: string, raw: string | null): { event: LogEvent; raw: string | null } {
  const source = { file: FILE, offset: (nextOffset += 100), index: 0, line: nextOffset / 100 };
  return { event: { type: 'login', at, source, user }, raw };
}

/** Lines each rule must give back as they were, or leave alone. */
function oddLines(): Array<{ event: LogEvent; raw: string | null }> {
  return [
    // Berlin in winter, in summer (the night the clocks went forward), New York, half-hour zones.
    step('2021-03-28T00:59:59.999Z', 'Startup', 1, '2021-03-28 01:59:59.999,Info,jsmith,Instrument,Instrument function Startup executing line 1,4132'),
    step('2021-03-28T01:00:00.000Z', 'Startup', 2, '2021-03-28 03:00:00.000,Info,jsmith,Instrument,Instrument function Startup executing line 2,4132'),
    step('2021-03-28T04:00:00.007Z', 'Startup', 3, '2021-03-27 23:00:00.007,Info,jsmith,Instrument,Instrument function Startup executing line 3,4132'),
    step('2021-03-28T04:00:00.500Z', 'Startup', 4, '2021-03-28 13:30:00.500,Info,,Instrument,Instrument function Startup executing line 4,4132'),
    step('2020-02-29T23:59:59.000Z', 'Startup', 5, '2020-02-29 14:29:59.000,Info,,Instrument,Instrument function Startup executing line 5,1'),
    // The message says another line than the data: kept as it is.
    step('2021-03-28T05:00:00.000Z', 'Startup', 6, '2021-03-28 07:00:00.000,Info,,Instrument,Instrument function Startup executing line 60,4132'),
    // The message twice, and names SQLite or JSON could write otherwise.
    step('2021-03-28T05:00:01.000Z', 'Rinse', 7, '2021-03-28 07:00:01.000,Instrument function Rinse executing line 7,Instrument function Rinse executing line 7'),
    step('2021-03-28T05:00:02.000Z', 'Ümlaut Düse', 8, '2021-03-28 07:00:02.000,Info,,Instrument,Instrument function Ümlaut Düse executing line 8,4132'),
    step('2021-03-28T05:00:03.000Z', 'quote"back\\slash', 9, '2021-03-28 07:00:03.000,Info,,Instrument,"Instrument function quote""back\\slash executing line 9",4132'),
    step('2021-03-28T05:00:04.000Z', 'tab\there\u007f', 10, '2021-03-28 07:00:04.000,Instrument function tab\there\u007f executing line 10'),
    step('2021-03-28T05:00:05.000Z', 'emoji 🧪', 11, '2021-03-28 07:00:05.000,Instrument function emoji 🧪 executing line 11'),
    step('2021-03-28T05:00:06.000Z', 'Startup', -12, '2021-03-28 07:00:06.000,Instrument function Startup executing line -12'),
    // The line holds char(1) itself.
    step('2021-03-28T05:00:07.000Z', 'Startup', 13, '2021-03-28 07:00:07.000,\u0001,Instrument function Startup executing line 13'),
    // Leading times that are not the event's at a whole number of minutes, or not a time at all.
    login('2021-03-28T05:00:08.000Z', 'jsmith', '2021-03-28 07:00:08.001,Info,jsmith,Application,Login'),
    login('2021-03-28T05:00:09.000Z', 'jsmith', '2021-03-28 07:00:39.000,Info,jsmith,Application,Login'),
    login('2021-03-28T05:00:10.000Z', 'jsmith', '2021-03-28 07:00:10,Info,jsmith,Application,Login'),
    login('2021-03-28T05:00:11.000Z', 'jsmith', '2021-02-30 07:00:11.000,Info,jsmith,Application,Login'),
    login('2021-03-28T05:00:12.000Z', 'jsmith', '2021-03-28T07:00:12.000,Info,jsmith,Application,Login'),
    login('2021-03-28T05:00:13.000Z', 'jsmith', '0021-03-28 07:00:13.000,x'),
    login('2021-03-28T05:00:14.000Z', 'jsmith', '2021-03-28 07:00:14.000'),
    login('2021-03-28T05:00:15.000Z', 'jsmith', 'short'),
    login('2021-03-28T05:00:16.000Z', 'jsmith', ''),
    login('2021-03-28T05:00:17.000Z', 'jsmith', null),
  ];
}

const VIEW = 'SELECT type, occurred_at, data, source_offset, line_number, raw FROM events WHERE log_file = ? ORDER BY source_offset';

describe('the compact line (migration 009)', () => {
  it('gives back every line and every event exactly through `events` and to the machines, whatever the line holds', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    const lines = oddLines();
    store.appendLogEvents('attune-1', lines.map((line) => line.event), lines.map((line) => line.raw));
    const rows = sqliteOf(store).prepare(VIEW).all(FILE) as Array<{ type: string; data: string; raw: string | null }>;
    expect(rows.map((row) => row.raw)).toEqual(lines.map((line) => line.raw));
    expect(rows.map((row) => row.data)).toEqual(lines.map((line) => eventData(line.event)));
    expect([...store.logEvents('attune-1')]).toEqual(lines.map((line) => line.event));
    // The rules did apply where they could: a leading time left out, step messages as one character.
    const stored = sqliteOf(store).prepare('SELECT data, raw, local_offset_min FROM event_stream ORDER BY source_offset').all() as Array<{ data: string; raw: string | null; local_offset_min: number | null }>;
    expect(stored.slice(0, 5).map((row) => row.local_offset_min)).toEqual([60, 120, -300, 570, -570]);
    expect(stored[0]).toEqual({ data: '["Startup",1]', raw: ',Info,jsmith,Instrument,\u0001,4132', local_offset_min: 60 });
    expect(stored[6]!.raw).toBe(',\u0001,\u0001');
    expect(stored[12]).toMatchObject({ data: '{"function":"Startup","line":13}', raw: ',\u0001,Instrument function Startup executing line 13' });
    expect(stored.slice(13).map((row) => row.local_offset_min)).toEqual([null, null, null, null, null, null, 120, null, null, null]);
    expect(stored[19]!.raw).toBe('');
    store.close();
  });

  it('stores rows written through `events` (as a tool or the migration does) as the store writes them', () => {
    const dir = tempDir();
    const direct = openStore(join(dir, 'direct.db'));
    const lines = oddLines();
    direct.appendLogEvents('attune-1', lines.map((line) => line.event), lines.map((line) => line.raw));
    const rows = sqliteOf(direct).prepare('SELECT * FROM events ORDER BY global_position').all();

    const through = openDatabase(join(dir, 'through.db'), { now: fixedClock });
    const insert = through.prepare(`INSERT INTO events (global_position, instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index, line_number, raw)
      VALUES (@global_position, @instrument_id, @type, @occurred_at, @data, @recorded_at, @log_file, @source_offset, @source_index, @line_number, @raw)`);
    through.transaction(() => rows.forEach((row) => insert.run(row)))();
    expect(through.prepare('SELECT * FROM events ORDER BY global_position').all()).toEqual(rows);
    // On ordinary lines SQLite's rules and the store's agree row for row (on odd names each keeps what it can prove gives back the text).
    const streamOf = (db: typeof through) => db.prepare('SELECT * FROM event_stream WHERE global_position <= 7 ORDER BY global_position').all();
    expect(streamOf(through)).toEqual(streamOf(sqliteOf(direct)));
    expect(() => through.prepare("INSERT INTO events (instrument_id, type, occurred_at, data, recorded_at) VALUES ('a', 'x', '2020-01-01T00:00:00.000Z', '[1]', '2020-01-01T00:00:00.000Z')").run()).toThrow(/JSON object/);
    through.close();
    direct.close();
  });

  it('migrates a database of the previous schema (8) in place: the same events, the same projections, the rows a fresh import stores', () => {
    const dir = tempDir();
    const day2 = shiftedFixture(dir, 1);
    const importAll = (store: EventStore) => {
      // Berlin: a leading time an hour or two from UTC.
      importLogFiles(store, 'attune-1', listLogFiles([FIXTURE_PATH, day2]), { toUtc: localToUtcConverter('Europe/Berlin') });
      importPaths(store, 'attune-2', [join(new URL('../../fixtures/cases/', import.meta.url).pathname, 'quoting-bom-crlf')]);
      store.appendServerEvent('attune-1', 'connectivity_changed', '2020-09-13T15:00:00.000Z', { state: 'online', reason: null, previous: null });
    };
    const reference = openStore(join(dir, 'reference.db'));
    importAll(reference);
    const expected = storeContents(sqliteOf(reference));
    const everyEvent = sqliteOf(reference).prepare('SELECT * FROM events ORDER BY global_position').all();

    // The previous schema, filled as its store filled it: migrations up to 008, events written through its `events` view.
    const previous = join(dir, 'migrations-008');
    cpSync(MIGRATIONS_DIR, previous, { recursive: true });
    for (const file of readdirSync(previous)) if (Number(file.slice(0, 3)) > 8) rmSync(join(previous, file));
    const path = join(dir, 'store.db');
    const old = openDatabase(path, { now: fixedClock, migrationsDir: previous });
    const insert = old.prepare(`INSERT INTO events (global_position, instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index, line_number, raw)
      VALUES (@global_position, @instrument_id, @type, @occurred_at, @data, @recorded_at, @log_file, @source_offset, @source_index, @line_number, @raw)`);
    // Once per line, as 008 kept it.
    const firstOfLine = new Set<string>();
    old.transaction(() => {
      for (const row of everyEvent as Array<Record<string, unknown>>) {
        const line = `${String(row.log_file)}@${String(row.source_offset)}`;
        const raw = row.raw === null || firstOfLine.has(line) ? null : row.raw;
        if (row.raw !== null) firstOfLine.add(line);
        insert.run({ ...row, raw });
      }
    })();
    expect(old.prepare("SELECT count(*) FROM event_stream WHERE raw LIKE '2020-09-1_ __:__:__.___,%'").pluck().get()).toBeGreaterThan(2000);
    old.close();

    const migrated = openStore(path);
    expect(sqliteOf(migrated).prepare('SELECT * FROM events ORDER BY global_position').all()).toEqual(everyEvent);
    expect(storeContents(sqliteOf(migrated))).toEqual(expected);
    const streamOf = (store: EventStore) => sqliteOf(store).prepare('SELECT * FROM event_stream ORDER BY global_position').all();
    expect(streamOf(migrated)).toEqual(streamOf(reference));
    expect(sqliteOf(migrated).prepare("SELECT count(*) FROM sqlite_master WHERE name = 'event_stream_008'").pluck().get()).toBe(0);
    // And it goes on as a store: the same lines again are duplicates.
    expect(importPaths(migrated, 'attune-2', [join(new URL('../../fixtures/cases/', import.meta.url).pathname, 'quoting-bom-crlf')]).appended).toBe(0);
    migrated.close();
    reference.close();
  });

  it('keeps a real log compact: each line’s leading time left out, each step’s message one character', () => {
    const store = openStore(join(tempDir(), 'store.db'));
    importPaths(store, 'attune-1', [FIXTURE_PATH]);
    const count = (sql: string) => sqliteOf(store).prepare(sql).pluck().get() as number;
    expect(count('SELECT count(*) FROM event_stream WHERE raw IS NOT NULL AND local_offset_min IS NULL')).toBe(0);
    expect(count("SELECT count(*) FROM events WHERE type = 'step'")).toBe(count("SELECT count(*) FROM event_stream WHERE data LIKE '[%' AND instr(raw, char(1)) > 0"));
    expect(count('SELECT count(*) FROM event_stream WHERE instrument_id IS NOT NULL')).toBe(0);
    store.close();
  });
});
