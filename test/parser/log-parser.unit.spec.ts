import { describe, expect, it } from 'vitest';
import { LogParser, parseLogBytes } from '../../src/parser/log-parser.ts';
import type { LogRecord, ParsedLine } from '../../src/parser/log-record.ts';
import { logLine, logText } from '../support/attune-log.ts';

const FILE = 'System_2020-09-11_12-26-48.log';

function records(lines: ParsedLine[]): LogRecord[] {
  return lines.filter((line): line is LogRecord => line.kind === 'record');
}

function parseInChunks(bytes: Buffer, cuts: number[]): ParsedLine[] {
  const parser = new LogParser({ file: FILE });
  const out: ParsedLine[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...parser.end());
  return out;
}

describe('LogParser: the six columns', () => {
  it('reads a plain line into its fields, offsets and line number', () => {
    const text = '2020-09-11 12:27:24.997,Info,jsmith,Security,login,4132\n';
    const { lines, stats } = parseLogBytes(FILE, Buffer.from(text));
    expect(lines).toEqual([
      {
        kind: 'record',
        timestamp: '2020-09-11 12:27:24.997',
        level: 'Info',
        user: 'jsmith',
        category: 'Security',
        message: 'login',
        code: 4132,
        text: text.trimEnd(),
        file: FILE,
        lineNumber: 1,
        lineStart: 0,
        byteOffset: text.length,
      },
    ]);
    expect(stats).toMatchObject({ lines: 1, records: 1, unparsed: 0, bytes: text.length });
  });

  it('reads RFC 4180 quoting: commas in the user and the message, doubled quotes', () => {
    const line = logLine('2020-09-11 14:22:55.815', 'User Action required to continue-action="Raise tube lifter", then wait', { user: 'Smith, Jane' });
    expect(line).toContain('"Smith, Jane"');
    const [record] = records(parseLogBytes(FILE, Buffer.from(`${line}\n`)).lines);
    expect(record?.user).toBe('Smith, Jane');
    expect(record?.message).toBe('User Action required to continue-action="Raise tube lifter", then wait');
  });

  it('reads files that quote every field', () => {
    const line = '"2020-09-11 12:27:24.997","Info","jsmith","Security","login","4132"';
    const [record] = records(parseLogBytes(FILE, Buffer.from(`${line}\r\n`)).lines);
    expect(record).toMatchObject({ timestamp: '2020-09-11 12:27:24.997', user: 'jsmith', message: 'login', code: 4132 });
  });

  it('keeps an unquoted comma in the message as part of the message', () => {
    const [record] = records(parseLogBytes(FILE, Buffer.from('2020-09-11 12:00:00.000,Info,,Application,Saved a, b and c,4132\n')).lines);
    expect(record?.message).toBe('Saved a, b and c');
    expect(record?.code).toBe(4132);
  });

  it('reads level case-insensitively and keeps unknown levels as text', () => {
    const text = logText([logLine('2020-09-11 12:00:00', 'x', { level: 'WARNING' }), logLine('2020-09-11 12:00:01', 'y', { level: 'Verbose' })]);
    expect(records(parseLogBytes(FILE, Buffer.from(text)).lines).map((r) => r.level)).toEqual(['Warning', 'Verbose']);
  });

  it('reads an empty code as null and a signed code as a number', () => {
    const text = logText(['2020-09-11 12:00:00.000,Info,,Data,x,', '2020-09-11 12:00:00.000,Info,,Data,x,-17']);
    expect(records(parseLogBytes(FILE, Buffer.from(text)).lines).map((r) => r.code)).toEqual([null, -17]);
  });
});

describe('LogParser: encodings and line ends', () => {
  it('skips a UTF-8 BOM and reads CRLF line ends, keeping byte offsets exact', () => {
    const body = logText([logLine('2020-09-11 12:00:00.000', 'login', { user: 'ana' }), logLine('2020-09-11 12:00:01.000', 'logout', { user: 'ana' })], '\r\n');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const lines = records(parseLogBytes(FILE, bytes).lines);
    expect(lines.map((r) => r.message)).toEqual(['login', 'logout']);
    expect(lines[0]?.timestamp).toBe('2020-09-11 12:00:00.000');
    expect(lines[0]?.lineStart).toBe(0);
    expect(lines[1]?.lineStart).toBe(lines[0]?.byteOffset);
    expect(lines[1]?.byteOffset).toBe(bytes.length);
  });

  it('reads UTF-8 text (CytKick™) and turns invalid bytes into replacement characters', () => {
    const good = Buffer.from('2020-09-11 12:26:49.313,Info,,Application,SetOfflineAutoSamplerModel CytKick™ Autosampler,4132\n');
    const bad = Buffer.concat([Buffer.from('2020-09-11 12:26:50.000,Info,,Application,bad '), Buffer.from([0xff, 0xc3]), Buffer.from(' bytes,4132\n')]);
    const lines = records(parseLogBytes(FILE, Buffer.concat([good, bad])).lines);
    expect(lines[0]?.message).toContain('CytKick™');
    expect(lines[1]?.message).toBe('bad \uFFFD\uFFFD bytes');
    expect(lines[1]?.byteOffset).toBe(good.length + bad.length);
  });

  it('counts blank lines without yielding them', () => {
    const text = `\n${logLine('2020-09-11 12:00:00', 'login')}\n   \r\n\n${logLine('2020-09-11 12:00:01', 'logout')}\n`;
    const { lines, stats } = parseLogBytes(FILE, Buffer.from(text));
    expect(lines.map((l) => l.lineNumber)).toEqual([2, 5]);
    expect(stats).toMatchObject({ lines: 5, blank: 3, records: 2 });
  });
});

describe('LogParser: lines that cannot be read', () => {
  it.each([
    ['2020-09-11 12:00:00.000,Info,,Application', 'too_few_fields'],
    ['2020-09-11 12:00:00.000,Info,,Application,"unterminated,4132', 'bad_quoting'],
    ['2020-09-11 12:00:00.000,Info,,Application,"closed"then text,4132', 'bad_quoting'],
    ['yesterday,Info,,Application,login,4132', 'bad_timestamp'],
    ['2020-09-11 12:00:00.000,Info,,Application,login,abc', 'bad_code'],
  ])('keeps %j as unparsed (%s), counted, with its text and position', (line, reason) => {
    const { lines, stats } = parseLogBytes(FILE, Buffer.from(`${line}\n`));
    expect(lines).toEqual([{ kind: 'unparsed', reason, text: line, file: FILE, lineNumber: 1, lineStart: 0, byteOffset: line.length + 1 }]);
    expect(stats.unparsed).toBe(1);
  });

  it('caps an over-long line, counts it, and keeps reading the lines after it', () => {
    const long = `2020-09-11 12:00:00.000,Info,,Data,${'x'.repeat(5000)},4132`;
    const after = logLine('2020-09-11 12:00:01.000', 'login');
    const bytes = Buffer.from(`${long}\n${after}\n`);
    const parser = new LogParser({ file: FILE, maxLineBytes: 1000 });
    const lines = [...parser.push(bytes.subarray(0, 700)), ...parser.push(bytes.subarray(700, 3000)), ...parser.push(bytes.subarray(3000)), ...parser.end()];
    expect(lines[0]).toMatchObject({ kind: 'unparsed', reason: 'line_too_long', lineStart: 0, byteOffset: long.length + 1 });
    expect(lines[0]?.text.length).toBe(1000);
    expect(lines[1]).toMatchObject({ kind: 'record', message: 'login', lineStart: long.length + 1 });
    expect(parser.stats).toMatchObject({ overlong: 1, unparsed: 1, records: 1 });
  });
});

describe('LogParser: incremental reading', () => {
  const text = logText([
    logLine('2020-09-11 12:26:49.313', 'SetOfflineAutoSamplerModel CytKick™ Autosampler'),
    logLine('2020-09-11 14:22:55.815', 'User Action required to continue-action="Raise tube lifter"', { user: 'Smith, Jane' }),
    logLine('2020-09-11 14:23:05.210', 'Instrument function Rinse executing line 3'),
  ], '\r\n');
  const bytes = Buffer.from(text);

  it('gives the same lines whatever the chunk boundaries: mid-character, between CR and LF, mid-quote', () => {
    const whole = parseLogBytes(FILE, bytes).lines;
    const tm = bytes.indexOf(Buffer.from('™'));
    const crlf = bytes.indexOf('\r\n');
    const quote = bytes.indexOf('"Smith');
    for (const cuts of [[tm + 1], [tm + 2], [crlf + 1], [quote + 3], [1, 2, 3], Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)]) {
      expect(parseInChunks(bytes, cuts)).toEqual(whole);
    }
  });

  it('holds back a last line without its line end until it arrives or the file ends', () => {
    const complete = logLine('2020-09-11 12:00:00.000', 'login', { user: 'ana' });
    const partial = '2020-09-11 12:00:05.000,Info,ana,Instrument,Event:Starting_Rinse,41';
    const parser = new LogParser({ file: FILE });
    expect(parser.push(Buffer.from(`${complete}\n${partial}`)).map((l) => l.lineNumber)).toEqual([1]);
    expect(parser.offset).toBe(complete.length + 1);
    expect(parser.pendingBytes).toBe(partial.length);
    expect(parser.push(Buffer.from('32\n'))).toMatchObject([{ kind: 'record', message: 'Event:Starting_Rinse', code: 4132 }]);
    expect(parser.offset).toBe(complete.length + 1 + partial.length + 3);
    expect(parser.pendingBytes).toBe(0);
  });

  it('makes a held last line final when the file has ended', () => {
    const cut = '2020-09-11 12:00:05.000,Info,ana,Instrument,Event:Starting_Rin';
    const parser = new LogParser({ file: FILE });
    expect(parser.push(Buffer.from(cut))).toEqual([]);
    expect(parser.end()).toEqual([{ kind: 'unparsed', reason: 'too_few_fields', text: cut, file: FILE, lineNumber: 1, lineStart: 0, byteOffset: cut.length }]);
  });

  it('resumes from a checkpoint offset and line number', () => {
    const first = `${logLine('2020-09-11 12:00:00.000', 'login')}\n`;
    const second = `${logLine('2020-09-11 12:00:01.000', 'logout')}\n`;
    const parser = new LogParser({ file: FILE, startOffset: first.length, startLineNumber: 1 });
    expect(parser.push(Buffer.from(second))).toMatchObject([{ message: 'logout', lineNumber: 2, lineStart: first.length, byteOffset: first.length + second.length }]);
  });
});
