import { describe, expect, it } from 'vitest';
import { assertTimeZone, localToUtcConverter } from '../../src/events/local-time.ts';

describe('localToUtcConverter', () => {
  it('converts with the zone offset, keeping milliseconds', () => {
    expect(localToUtcConverter('UTC')('2020-09-11 12:31:01.944')).toBe('2020-09-11T12:31:01.944Z');
    expect(localToUtcConverter('Europe/Berlin')('2020-09-11 12:31:01.944')).toBe('2020-09-11T10:31:01.944Z');
    expect(localToUtcConverter('America/New_York')('2020-01-11 23:59:59.001')).toBe('2020-01-12T04:59:59.001Z');
    expect(localToUtcConverter('Asia/Kolkata')('2020-09-11 12:31:01.944')).toBe('2020-09-11T07:01:01.944Z');
  });

  it('crosses daylight-saving changes correctly', () => {
    const berlin = localToUtcConverter('Europe/Berlin');
    expect(berlin('2020-03-29 01:59:59.999')).toBe('2020-03-29T00:59:59.999Z');
    expect(berlin('2020-03-29 03:00:00.000')).toBe('2020-03-29T01:00:00.000Z');
    // A time in the skipped hour is taken as the moment of the change.
    expect(berlin('2020-03-29 02:30:00.000')).toBe('2020-03-29T01:00:00.000Z');
    // The repeated hour is taken as its first occurrence.
    expect(berlin('2020-10-25 02:30:00.000')).toBe('2020-10-25T00:30:00.000Z');
    expect(berlin('2020-10-25 03:00:00.000')).toBe('2020-10-25T02:00:00.000Z');
  });

  it('gives the same answer from a warm cache as from a cold one', () => {
    const warm = localToUtcConverter('America/Sao_Paulo');
    const times = ['2018-11-04 00:30:00.000', '2018-11-03 23:59:00.000', '2019-02-16 23:30:00.000', '2019-02-17 00:15:00.000'];
    const first = times.map((t) => warm(t));
    expect(times.map((t) => localToUtcConverter('America/Sao_Paulo')(t))).toEqual(first);
    expect(times.map((t) => warm(t))).toEqual(first);
  });

  it('rejects an unknown zone with a clear message', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
