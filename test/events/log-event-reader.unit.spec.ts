import { describe, expect, it } from 'vitest';
import { eventsOf, logLine, logText } from '../support/attune-log.ts';

const FILE = 'System_2020-09-11_12-26-48.log';

describe('LogEventReader', () => {
  const text = logText([
    logLine('2020-09-11 12:27:24.997', 'login', { user: 'jsmith', category: 'Security' }),
    logLine('2020-09-11 12:30:07.531', 'Startup initiated', { user: 'jsmith' }),
    logLine('2020-09-11 12:49:24.883', 'Event:Rinse_Done~0Event:Starting_Calibration', { user: 'jsmith' }),
    'garbage line',
    logLine('2020-09-11 12:50:00.000', 'Instrument function Calibration executing line 1', { user: 'jsmith' }),
  ]);

  it('announces the launch at the time in the file name, before the first line', () => {
    const [opened] = eventsOf(FILE, text);
    expect(opened).toEqual({ type: 'log_opened', at: '2020-09-11T12:26:48.000Z', source: { file: FILE, offset: 0, index: -1, line: 0 } });
  });

  it('keys each event by file, line start and index within the line', () => {
    const events = eventsOf(FILE, text);
    const secondLineStart = text.indexOf('2020-09-11 12:30');
    const gluedStart = text.indexOf('2020-09-11 12:49');
    expect(events.map((e) => [e.type, e.source.offset, e.source.index, e.source.line])).toEqual([
      ['log_opened', 0, -1, 0],
      ['login', 0, 0, 1],
      ['procedure_done', gluedStart, 0, 3],
      ['procedure_started', gluedStart, 1, 3],
      ['line_unparsed', text.indexOf('garbage'), 0, 4],
      ['step', text.indexOf('2020-09-11 12:50'), 0, 5],
    ]);
    expect(secondLineStart).toBeGreaterThan(0);
  });

  it('times an unparsed line at the last readable line before it', () => {
    const unparsed = eventsOf(FILE, text).find((e) => e.type === 'line_unparsed');
    expect(unparsed).toMatchObject({ reason: 'too_few_fields', at: '2020-09-11T12:49:24.883Z' });
  });

  it('ends a file at its last readable line, keyed at the file length', () => {
    const cut = `${text}2020-09-11 12:59:00.000,Info,jsmith,Instrument,Event:Star`;
    const events = eventsOf(FILE, cut, { ended: true });
    expect(events.at(-2)).toMatchObject({ type: 'line_unparsed', at: '2020-09-11T12:50:00.000Z' });
    expect(events.at(-1)).toEqual({ type: 'log_ended', at: '2020-09-11T12:50:00.000Z', source: { file: FILE, offset: Buffer.byteLength(cut), index: 0, line: 0 } });
  });

  it('ends an empty file at its launch time', () => {
    expect(eventsOf(FILE, '', { ended: true }).map((e) => [e.type, e.at])).toEqual([
      ['log_opened', '2020-09-11T12:26:48.000Z'],
      ['log_ended', '2020-09-11T12:26:48.000Z'],
    ]);
  });

  it('converts times in the instrument zone', () => {
    const [opened, login] = eventsOf(FILE, text, { zone: 'America/Chicago' });
    expect(opened?.at).toBe('2020-09-11T17:26:48.000Z');
    expect(login?.at).toBe('2020-09-11T17:27:24.997Z');
  });
});
