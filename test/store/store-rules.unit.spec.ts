import { describe, expect, it } from 'vitest';
import { assertInstrumentId } from '../../src/shared/instrument-id.ts';
import { durationQuantile } from '../../src/shared/quantiles.ts';
import { compareSourcePositions } from '../../src/shared/source-order.ts';

describe('durationQuantile', () => {
  it('interpolates between the nearest ranks', () => {
    expect(durationQuantile([10], 0.5)).toBe(10);
    expect(durationQuantile([10, 20], 0.5)).toBe(15);
    expect(durationQuantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(durationQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9.1);
    expect(durationQuantile([60, 90, 120], 1)).toBe(120);
    expect(durationQuantile([60, 90, 120], 0)).toBe(60);
  });

  it('rounds to the millisecond and refuses no values', () => {
    expect(durationQuantile([0.001, 0.002], 0.3333)).toBe(0.001);
    expect(() => durationQuantile([], 0.5)).toThrow(RangeError);
  });
});

describe('source order', () => {
  const at = (file: string, offset: number, index: number) => ({ file, offset, index });
  it('orders by file (launch order), then offset, then index within the line', () => {
    const sorted = [
      at('System_2020-09-11_12-26-48.log', 0, -1),
      at('System_2020-09-11_12-26-48.log', 0, 0),
      at('System_2020-09-11_12-26-48.log', 99, 0),
      at('System_2020-09-11_12-26-48.log', 99, 1),
      at('System_2020-09-11_12-26-48.log', 1000, 0),
      at('System_2020-09-12_08-00-00.log', 0, -1),
    ];
    const shuffled = [sorted[4], sorted[0], sorted[5], sorted[2], sorted[1], sorted[3]] as typeof sorted;
    expect(shuffled.sort(compareSourcePositions)).toEqual(sorted);
  });

  it('compares names as UTF-8 bytes, as SQLite orders them', () => {
    // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes, a surrogate pair in UTF-16) in UTF-8,
    // after it in UTF-16 code units.
    expect(compareSourcePositions(at('System_\uFF21.log', 0, 0), at('System_\u{1F600}.log', 0, 0))).toBeLessThan(0);
  });
});

describe('instrument ids', () => {
  it('accepts short plain names', () => {
    for (const id of ['attune-1', 'A', 'lab2.attune_nxt', 'x'.repeat(64)]) expect(assertInstrumentId(id)).toBe(id);
  });
  it('refuses slashes, spaces, empty, leading punctuation and long names, saying what is allowed', () => {
    for (const id of ['', 'a/b', '../etc', 'attune 1', '-a', '.a', 'x'.repeat(65), 'é']) {
      expect(() => assertInstrumentId(id)).toThrow(/letters, digits/);
    }
  });
});
