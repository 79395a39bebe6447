import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogParser, parseLogBytes } from '../../src/parser/log-parser.ts';
import type { ParsedLine } from '../../src/parser/log-record.ts';

const FILE = 'System_2020-09-11_12-26-48.log';
const FIXTURE = readFileSync(new URL('../../fixtures/attune/System_2020-09-11_12-26-48.log', import.meta.url));

function parseWithCuts(bytes: Uint8Array, cuts: number[], maxLineBytes?: number): { lines: ParsedLine[]; offset: number } {
  const parser = new LogParser({ file: FILE, maxLineBytes });
  const lines: ParsedLine[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    lines.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  lines.push(...parser.push(bytes.subarray(from)));
  lines.push(...parser.end());
  return { lines, offset: parser.offset };
}

// Bytes that look like log lines often enough to exercise every branch: CR, LF, quotes, commas,
// digits, timestamp fragments, a BOM, multi-byte and invalid UTF-8.
const logishBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', ',', '"', '""', '2020-09-11 12:26:48.537', '09/11/2020 01:02:03 PM', 'Info', 'login', 'Event:Starting_Rinse', '4132', '™', '\uFEFF', ' '),
      fc.string({ maxLength: 8 }),
      fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.concat(parts.map(toBytes)));

// Strings of raw bytes (from the uint8Array branch) go in as those bytes; the rest as UTF-8.
function toBytes(part: string): Buffer {
  const rawBytes = [...part].every((c) => c.charCodeAt(0) <= 0xff) && [...part].some((c) => c.charCodeAt(0) >= 0x80);
  return Buffer.from(part, rawBytes ? 'latin1' : 'utf8');
}

describe('LogParser properties', () => {
  it('chunk boundaries never change the lines of the real log', () => {
    const whole = parseLogBytes(FILE, FIXTURE).lines;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: FIXTURE.length - 1 }), { maxLength: 40 }), (cuts) => {
        expect(parseWithCuts(FIXTURE, cuts).lines).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('chunk boundaries never change the lines of arbitrary bytes, and no bytes crash it', () => {
    fc.assert(
      fc.property(logishBytes, fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 8, max: 200 }), (bytes, rawCuts, maxLineBytes) => {
        const cuts = bytes.length < 2 ? [] : rawCuts.map((c) => 1 + (c % (bytes.length - 1)));
        const whole = parseWithCuts(bytes, [], maxLineBytes);
        const split = parseWithCuts(bytes, cuts, maxLineBytes);
        expect(split).toEqual(whole);
        // Every byte is accounted for, and each line starts where the previous one ended.
        expect(whole.offset).toBe(bytes.length);
        let previousEnd = -1;
        for (const line of whole.lines) {
          expect(line.lineStart).toBeGreaterThan(previousEnd - 1);
          expect(line.byteOffset).toBeGreaterThan(line.lineStart);
          previousEnd = line.byteOffset;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never crashes on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const { lines, stats } = parseLogBytes(FILE, bytes);
        expect(stats.records + stats.unparsed).toBe(lines.length);
      }),
      { numRuns: 500 },
    );
  });
});
