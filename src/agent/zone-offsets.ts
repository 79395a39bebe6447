import { intlOffsetAt, type OffsetAt } from '../events/local-time.ts';

// The agent turns every log line's local time into UTC, for as long as it runs. Intl can say a
// zone's offset, but one Intl.DateTimeFormat with a time zone keeps about 8 MB resident in an
// otherwise idle Node (ICU's locale and zone data, measured on Node 24), a seventh of what the
// whole agent may hold at rest. Node's Date knows the same zones (the same ICU rules) for the
// process's own zone, and setting process.env.TZ at run time changes that zone (Node documents
// this on every platform; on Windows it sets ICU's default zone). So the agent process runs in
// the instrument PC's zone and reads offsets from Date, at a fraction of the memory. Where
// setting TZ does not take, Intl is the fallback: slower to start, never wrong.

/** Where a zone's offsets are read: no lookup (UTC), the process's own clock, or Intl. */
export type OffsetSource = 'utc' | 'process clock' | 'intl';

export interface ZoneOffsets {
  offsetAt: OffsetAt;
  source: OffsetSource;
}

/** The process's time zone, as Date sees it: the seam the tests use to play a platform where TZ does not take. */
export interface ProcessClock {
  zone(): string | undefined;
  setZone(zone: string | undefined): void;
  /** Minutes east of UTC at a UTC instant (fractional for a local mean time of long ago). */
  minutesEast(utcMs: number): number;
}

export const processClock: ProcessClock = {
  zone: () => process.env.TZ,
  setZone: (zone) => {
    // Node re-reads the zone on assignment to (and deletion of) process.env.TZ.
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  },
  minutesEast: (utcMs) => -new Date(utcMs).getTimezoneOffset(),
};

/** IANA's names of UTC itself (links to Etc/UTC and Etc/GMT): offset 0 at every instant, no lookup needed. */
const UTC_NAMES = new Set(
  ['UTC', 'UCT', 'Universal', 'Zulu', 'GMT', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich'].flatMap((name) => [name, `Etc/${name}`]).map((name) => name.toLowerCase()),
);

/** Fixed zones the process clock must read exactly if setting TZ takes at all (their offsets never change). */
const TZ_PROBES: readonly (readonly [zone: string, minutesEast: number])[] = [
  ['Etc/GMT-14', 840],
  ['Etc/GMT+12', -720],
];
const PROBE_INSTANT = Date.UTC(2024, 0, 15);

/**
 * Instants at which every zone but UTC's own names is off UTC at least once: each had a local mean
 * time before standard time (Europe/London's until 1847), and most keep summer time. A zone name
 * the process clock does not know reads as UTC at every instant.
 */
const KNOWN_ZONE_INSTANTS = [Date.UTC(1800, 0, 1), Date.UTC(2024, 0, 15), Date.UTC(2024, 6, 15)];

/**
 * Names the process clock is asked about: IANA's form (`Area/Location`, letters, `_`, `-`, `+`),
 * and its few names with digits. Anything else (a POSIX rule such as `XYZ3` or
 * `CET-1CEST,M3.5.0`, a leading `:`) the C library and ICU may read as a zone of their own that
 * IANA, `check` and `import` do not know: Intl decides, and refuses it.
 */
const CLOCK_ZONE_NAME = /^(?:[A-Za-z_]+(?:\/[A-Za-z_+-]+)*|Etc\/GMT[+-]\d{1,2}|(?:EST5EDT|CST6CDT|MST7MDT|PST8PDT))$/;

/**
 * The offsets of `zone` (undefined: this machine's own) for the one agent this process runs: it
 * sets the process's time zone, so one zone per process. Throws InvalidTimeZoneError for a zone
 * that does not exist.
 */
export function zoneOffsets(zone: string | undefined, clock: ProcessClock = processClock): ZoneOffsets {
  const fromClock: OffsetAt = (utcMs) => Math.round(clock.minutesEast(utcMs) * 60) * 1000;
  if (zone === undefined) return { offsetAt: fromClock, source: 'process clock' };
  if (UTC_NAMES.has(zone.toLowerCase())) return { offsetAt: () => 0, source: 'utc' };
  const before = clock.zone();
  if (CLOCK_ZONE_NAME.test(zone) && TZ_PROBES.every(([probe, minutesEast]) => (clock.setZone(probe), clock.minutesEast(PROBE_INSTANT) === minutesEast))) {
    clock.setZone(zone);
    if (KNOWN_ZONE_INSTANTS.some((instant) => clock.minutesEast(instant) !== 0)) return { offsetAt: fromClock, source: 'process clock' };
  }
  // TZ does not take here, or the clock does not know this name (Intl also takes other spellings,
  // e.g. in lower case): Intl decides, and refuses a zone that does not exist.
  clock.setZone(before);
  return { offsetAt: intlOffsetAt(zone), source: 'intl' };
}
