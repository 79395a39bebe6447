import { afterEach, describe, expect, it } from 'vitest';
import { intlOffsetAt, InvalidTimeZoneError } from '../../src/events/local-time.ts';
import { processClock, zoneOffsets, type ProcessClock } from '../../src/agent/zone-offsets.ts';

// The agent reads zone offsets from its own clock (process.env.TZ set to the configured zone)
// rather than from Intl: they must be Intl's, hour by hour, and Intl must take over where setting
// TZ does not take. Intl is the oracle here.

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns'];
const HOUR = 3_600_000;
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2026, 0, 1);

const tzAtStart = process.env.TZ;
afterEach(() => processClock.setZone(tzAtStart));

/** The first hours (UTC) at which the two sources disagree, for a zone. */
function disagreements(zone: string, ours: (utcMs: number) => number): string[] {
  const oracle = intlOffsetAt(zone);
  const found: string[] = [];
  for (let utcMs = FROM; utcMs < TO && found.length < 5; utcMs += HOUR) {
    if (ours(utcMs) !== oracle(utcMs)) found.push(`${new Date(utcMs).toISOString()}: ${ours(utcMs)} ≠ ${oracle(utcMs)}`);
  }
  return found;
}

describe("the agent's zone offsets", () => {
  it.each(ZONES)("are Intl's for %s, every hour of 2020–2025, read from the process clock", (zone) => {
    const offsets = zoneOffsets(zone);
    expect(offsets.source).toBe('process clock');
    expect(process.env.TZ).toBe(zone);
    expect(disagreements(zone, offsets.offsetAt)).toEqual([]);
  });

  it("are 0 for UTC's own names, which Intl takes and puts at 0 as well, with no lookup", () => {
    for (const zone of ['UTC', 'Etc/UTC', 'utc', 'GMT', 'Etc/GMT', 'Etc/GMT+0', 'Zulu', 'Etc/Universal', 'Greenwich']) {
      const offsets = zoneOffsets(zone);
      expect(offsets.source, zone).toBe('utc');
      expect(disagreements(zone, offsets.offsetAt), zone).toEqual([]);
    }
  });

  it('refuses a zone that does not exist, and leaves the process clock as it was', () => {
    processClock.setZone('America/New_York');
    expect(() => zoneOffsets('Mars/Olympus')).toThrow(InvalidTimeZoneError);
    expect(process.env.TZ).toBe('America/New_York');
  });

  it('refuses what only the C library reads as a zone (POSIX rules, a leading colon), as check and import do', () => {
    for (const posix of ['XYZ3', 'CET-1CEST,M3.5.0,M10.5.0/3', ':Europe/Paris', '<+03>-3']) {
      expect(() => zoneOffsets(posix), posix).toThrow(InvalidTimeZoneError);
    }
    // IANA's own names with digits are zones of the clock.
    expect(zoneOffsets('EST5EDT').source).toBe('process clock');
    expect(zoneOffsets('Etc/GMT-3').source).toBe('process clock');
  });

  it('takes the spellings Intl takes and the clock does not, from Intl', () => {
    const offsets = zoneOffsets('europe/berlin');
    expect(offsets.source).toBe('intl');
    expect(disagreements('Europe/Berlin', offsets.offsetAt)).toEqual([]);
  });

  it('falls back to Intl where setting TZ does not take (the clock stays in its own zone)', () => {
    // A platform whose clock ignores TZ: it stays in the machine's own zone, here Berlin.
    const settings: Array<string | undefined> = [];
    const stuck: ProcessClock = {
      zone: () => 'Europe/Berlin',
      setZone: (zone) => void settings.push(zone),
      minutesEast: (utcMs) => intlOffsetAt('Europe/Berlin')(utcMs) / 60_000,
    };
    for (const zone of ['America/New_York', 'Europe/Berlin']) {
      const offsets = zoneOffsets(zone, stuck);
      expect(offsets.source, zone).toBe('intl');
      expect(disagreements(zone, offsets.offsetAt), zone).toEqual([]);
      // It put back the zone it found.
      expect(settings.at(-1)).toBe('Europe/Berlin');
    }
  });

  it("reads this machine's zone from the process clock when none is configured", () => {
    processClock.setZone('Asia/Kolkata');
    const offsets = zoneOffsets(undefined);
    expect(offsets.source).toBe('process clock');
    expect(disagreements('Asia/Kolkata', offsets.offsetAt)).toEqual([]);
  });
});
