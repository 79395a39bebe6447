import { describe, expect, it } from 'vitest';
import { BatchPacker, unpackBatch, type PackableObject } from '../../src/logs/object-batch-codec.ts';

function roundTrip(objects: PackableObject[]): PackableObject[] {
  const packer = new BatchPacker();
  for (const object of objects) packer.add(object);
  // Through a real structured clone, as a worker's message goes.
  return unpackBatch(structuredClone(packer.take()));
}

describe('object batches', () => {
  it('gives back equal objects with their keys in the same order, as shapes change within one type', () => {
    const objects: PackableObject[] = [
      { type: 'acquisition_initiated', well: 'A1', at: '2020-09-11T12:30:07.648Z', source: { file: 'System_a.log', offset: 10, index: 0, line: 2 } },
      { type: 'acquisition_initiated', well: null, at: '2020-09-11T12:30:08.000Z', source: { file: 'System_a.log', offset: 99, index: 1, line: 3 } },
      { type: 'acquisition_initiated', at: '2020-09-11T12:30:09.000Z', well: 'B2', source: { file: 'System_a.log', offset: 120, index: 0, line: 4 } },
      { type: 'step', function: 'Rinse', line: -0, at: 'x', source: { file: 'f', offset: 1.5, index: -1, line: Number.NaN }, count: 3, firstAt: '', firstFunction: '\u0000"\ufffd' },
      { type: 'flags', yes: true, no: false, missing: undefined, nested: { deeper: { value: 'v' } } },
      { type: 'flags', yes: false, no: true, missing: undefined, nested: { deeper: { value: 'w', extra: 1 } } },
      { noType: 1 },
    ];
    const back = roundTrip(objects);
    expect(back).toStrictEqual(objects);
    expect(back.map((object) => JSON.stringify(object))).toEqual(objects.map((object) => JSON.stringify(object)));
    expect(Object.is(back[3]!['line'], -0)).toBe(true);
  });

  it('starts each batch afresh', () => {
    const packer = new BatchPacker();
    packer.add({ type: 'a', n: 1 });
    const first = packer.take();
    packer.add({ type: 'a', n: 2 });
    packer.add({ type: 'b', s: 's' });
    expect(packer.count).toBe(2);
    expect(unpackBatch(first)).toEqual([{ type: 'a', n: 1 }]);
    expect(unpackBatch(packer.take())).toEqual([{ type: 'a', n: 2 }, { type: 'b', s: 's' }]);
    expect(unpackBatch(packer.take())).toEqual([]);
  });

  it('refuses arrays and functions rather than losing them', () => {
    expect(() => new BatchPacker().add({ list: [1] as unknown as PackableObject })).toThrow(/array/);
    expect(() => new BatchPacker().add({ f: (() => 1) as unknown as PackableObject })).toThrow(/function/);
  });
});
