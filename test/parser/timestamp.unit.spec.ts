import { describe, expect, it } from 'vitest';
import { parseLogTimestamp } from '../../src/parser/timestamp.ts';

describe('parseLogTimestamp', () => {
  it.each([
    ['2020-09-11 12:26:48.537', '2020-09-11 12:26:48.537'],
    ['2020-09-11T12:26:48.537', '2020-09-11 12:26:48.537'],
    ['2020-09-11 12:26:48', '2020-09-11 12:26:48.000'],
    ['2020-09-11 12:26:48.5', '2020-09-11 12:26:48.500'],
    ['2020-09-11 12:26:48.123456', '2020-09-11 12:26:48.123'],
    [' 2020-09-11 12:26:48.537 ', '2020-09-11 12:26:48.537'],
  ])('reads the ISO-like layout %j', (text, expected) => {
    expect(parseLogTimestamp(text)).toBe(expected);
  });

  it.each([
    ['09/11/2020 12:26:48.537 PM', '2020-09-11 12:26:48.537'],
    ['09/11/2020 12:26:48.537 AM', '2020-09-11 00:26:48.537'],
    ['09/11/2020 01:02:03 PM', '2020-09-11 13:02:03.000'],
    ['9/1/2020 1:02:03 pm', '2020-09-01 13:02:03.000'],
    ['12/31/2020 11:59:59.999 PM', '2020-12-31 23:59:59.999'],
    ['02/29/2024 07:00:00AM', '2024-02-29 07:00:00.000'],
  ])('reads the US 12-hour layout %j', (text, expected) => {
    expect(parseLogTimestamp(text)).toBe(expected);
  });

  it.each([
    '',
    'not a time',
    '2020-13-01 00:00:00.000',
    '2021-02-29 00:00:00.000',
    '2020-09-31 00:00:00.000',
    '2020-09-11 24:00:00.000',
    '2020-09-11 12:60:00.000',
    '2020-09-11 12:26:48.',
    '2020-09-11 12:26:48.53x',
    '13/11/2020 12:26:48 PM',
    '09/11/2020 13:26:48 PM',
    '09/11/2020 00:26:48 AM',
    '09/11/2020 12:26:48',
    '2020/09/11 12:26:48.537',
  ])('rejects %j', (text) => {
    expect(parseLogTimestamp(text)).toBeNull();
  });

  it('does not carry a validated date over to an invalid one of the same prefix', () => {
    expect(parseLogTimestamp('2020-02-28 10:00:00.000')).toBe('2020-02-28 10:00:00.000');
    expect(parseLogTimestamp('2020-02-28 10:61:00.000')).toBeNull();
    expect(parseLogTimestamp('2021-02-29 10:00:00.000')).toBeNull();
  });
});
