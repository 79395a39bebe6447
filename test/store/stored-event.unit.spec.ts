import { describe, expect, it } from 'vitest';
import { localToUtcConverter } from '../../src/events/local-time.ts';
import type { LogEvent } from '../../src/events/log-events.ts';
import { listLogFiles } from '../../src/logs/log-file-set.ts';
import { readLogFiles } from '../../src/logs/read-log-files.ts';
import type { ParsedLine } from '../../src/parser/log-record.ts';
import { rawLinesOf } from '../../src/store/import-log-files.ts';
import { eventData, isoOfMs, logEventFromRow, utcMsOf, type LogEventRow } from '../../src/store/stored-event.ts';
import { FIXTURE_PATH } from './store-test-kit.ts';

function fixtureChunks(): Array<{ events: LogEvent[]; lines: readonly ParsedLine[] }> {
  const chunks: Array<{ events: LogEvent[]; lines: readonly ParsedLine[] }> = [];
  readLogFiles(listLogFiles([FIXTURE_PATH]), { toUtc: localToUtcConverter('UTC'), endNewest: true, onEvents: (events, lines) => chunks.push({ events, lines }) });
  return chunks;
}

describe('stored events', () => {
  it('every event of the real log comes back from its row exactly as it went in', () => {
    const events = fixtureChunks().flatMap((chunk) => chunk.events);
    expect(new Set(events.map((e) => e.type)).size).toBeGreaterThan(10);
    for (const [i, event] of events.entries()) {
      const { file, offset, index, line } = event.source;
      const row: LogEventRow = [i + 1, event.type, event.at, eventData(event), file, offset, index, line];
      expect(logEventFromRow(row)).toEqual(event);
    }
  });

  it('data holds only the fields beyond type, time and source, with sorted keys whatever order they were built in', () => {
    const source = { file: 'System_x.log', offset: 10, index: 0, line: 2 };
    const built: LogEvent = { type: 'instrument_fact', value: 'NxT', key: 'Instrument_Model_Number', at: '2020-01-01T00:00:00.000Z', source };
    const parsed: LogEvent = { type: 'instrument_fact', at: '2020-01-01T00:00:00.000Z', source, key: 'Instrument_Model_Number', value: 'NxT' };
    expect(eventData(built)).toBe('{"key":"Instrument_Model_Number","value":"NxT"}');
    expect(eventData(parsed)).toBe(eventData(built));
    expect(eventData({ type: 'log_opened', at: '2020-01-01T00:00:00.000Z', source })).toBe('{}');
    // Steps take a short cut to the same text.
    const step: LogEvent = { type: 'step', line: 3, function: 'Rinse "fast"', at: '2020-01-01T00:00:00.000Z', source };
    expect(eventData(step)).toBe(JSON.stringify({ function: 'Rinse "fast"', line: 3 }));
  });

  it('each event is paired with the decoded line it came from; log_opened and log_ended with none', () => {
    const chunks = fixtureChunks();
    const pairs = chunks.flatMap(({ events, lines }) => rawLinesOf(events, lines).map((raw, i) => [events[i] as LogEvent, raw] as const));
    for (const [event, raw] of pairs) {
      if (event.type === 'log_opened' || event.type === 'log_ended') expect(raw).toBeNull();
      else expect(raw).toMatch(/^2020-09-11 /);
    }
    const start = pairs.find(([event]) => event.type === 'procedure_started');
    expect(start?.[1]).toBe('2020-09-11 12:30:07.648,Info,jsmith,Instrument,Event:Starting_Startup,4132');
  });

  it('a glued line gives its raw text to each of its events', () => {
    const line: ParsedLine = {
      kind: 'record',
      timestamp: '2020-09-11T12:00:00.000',
      level: 'Info',
      user: '',
      category: 'Instrument',
      message: 'Event:Rinse_Done~0Line Calibration initiated',
      code: 1,
      text: 'glued',
      file: 'System_x.log',
      lineNumber: 5,
      lineStart: 100,
      byteOffset: 150,
    };
    const at = '2020-09-11T12:00:00.000Z';
    const events: LogEvent[] = [
      { type: 'procedure_done', procedure: 'Rinse', code: '0', at, source: { file: 'System_x.log', offset: 100, index: 0, line: 5 } },
      { type: 'procedure_done', procedure: 'X', code: '0', at, source: { file: 'System_x.log', offset: 100, index: 1, line: 5 } },
    ];
    expect(rawLinesOf(events, [line])).toEqual(['glued', 'glued']);
  });

  it('stores times as ms and gives back the same text; refuses any text it could not give back', () => {
    for (const at of ['2020-09-11T12:26:48.728Z', '1969-12-31T23:59:59.999Z', '2024-02-29T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) expect(isoOfMs(utcMsOf(at))).toBe(at);
    for (const at of ['2020-09-11T12:26:48Z', '2020-09-11T12:26:48.728+01:00', '2021-02-29T00:00:00.000Z', '2020-09-31T00:00:00.000Z', '2020-09-11 12:26:48.728Z', 'not a time at all, 24 ch', '']) {
      expect(() => utcMsOf(at), at).toThrow(/not a UTC time/);
    }
    for (const at of ['2020-09-11T24:00:00.000Z', '2020-09-11T12:60:00.000Z', '2020-09-11T12:26:60.000Z', '2020-00-11T12:26:48.728Z', '2020-13-11T12:26:48.728Z', '2020-09-00T12:26:48.728Z', '2020-09-11T12:26:4a.728Z']) {
      expect(() => utcMsOf(at), at).toThrow(/not a UTC time/);
    }
  });

  it('reads every time of years 0000–9999 as Date does (arithmetic, not Date.parse: it runs for every event)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const first = Date.parse('0000-01-01T00:00:00.000Z');
    const last = Date.parse('9999-12-31T23:59:59.999Z');
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(first + random() * (last - first));
      expect(utcMsOf(new Date(ms).toISOString())).toBe(ms);
    }
    for (const at of ['0000-01-01T00:00:00.000Z', '1900-02-28T23:59:59.999Z', '2000-02-29T12:00:00.000Z', '2100-03-01T00:00:00.000Z']) expect(utcMsOf(at)).toBe(Date.parse(at));
    expect(() => utcMsOf('1900-02-29T00:00:00.000Z')).toThrow(/not a UTC time/);
  });
});
