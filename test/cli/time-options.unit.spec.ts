import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-errors.ts';
import { parsePositiveInteger, parseSince } from '../../src/cli/time-options.ts';

describe('--since', () => {
  it('reads a date as local midnight in the zone', () => {
    expect(parseSince('2020-09-11', 'UTC')).toBe('2020-09-11T00:00:00.000Z');
    expect(parseSince('2020-09-11', 'Europe/Berlin')).toBe('2020-09-10T22:00:00.000Z');
    expect(parseSince('2020-01-15', 'America/New_York')).toBe('2020-01-15T05:00:00.000Z');
  });
  it('reads a local date and time, with or without seconds', () => {
    expect(parseSince('2020-09-11T08:30', 'Europe/Berlin')).toBe('2020-09-11T06:30:00.000Z');
    expect(parseSince('2020-09-11 08:30:15', 'UTC')).toBe('2020-09-11T08:30:15.000Z');
  });
  it('takes an ISO time with its own zone as it is', () => {
    expect(parseSince('2020-09-11T08:30:00Z', 'Europe/Berlin')).toBe('2020-09-11T08:30:00.000Z');
    expect(parseSince('2020-09-11T08:30:00+02:00', 'UTC')).toBe('2020-09-11T06:30:00.000Z');
  });
  it('refuses anything else with a clear error', () => {
    for (const text of ['yesterday', '2020-13-01', '11/09/2020', '2020-09-11T25:00', '']) {
      expect(() => parseSince(text, 'UTC')).toThrow(CliError);
    }
  });
});

describe('--limit', () => {
  it('is a whole number from 1', () => {
    expect(parsePositiveInteger('--limit', '20')).toBe(20);
    for (const text of ['0', '-1', '1.5', 'ten', '']) expect(() => parsePositiveInteger('--limit', text)).toThrow(/whole number/);
  });
});
