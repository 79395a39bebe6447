// Log times are the instrument PC's wall clock with no zone; stored times are UTC. The zone is
// configuration (default: this machine's). Offsets are cached per local hour: zones change
// offset on whole or half hours, and Intl is far too slow to call for every line. Where the
// offsets come from is the caller's choice (Intl by default; the agent uses its own clock, see
// src/agent/zone-offsets.ts): the rules below only ask for the offset at an instant.

export class InvalidTimeZoneError extends Error {
  constructor(zone: string) {
    super(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin or America/New_York)`);
    this.name = 'InvalidTimeZoneError';
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new InvalidTimeZoneError(zone);
  }
}

/**
 * Converts a normalised local timestamp (`YYYY-MM-DD HH:MM:SS.mmm`) to UTC ISO-8601. `after` is
 * the UTC time of the line before it in the same file (null for a file's first time): it decides
 * what the wall clock alone cannot, so that a file's times never run backwards across a change.
 */
export type LocalToUtc = (localTimestamp: string, after?: string | null) => string;

/**
 * A step back of up to this much inside a repeated hour is taken as lines written slightly out
 * of order, not as the clock going back: the line stays in the hour's first reading.
 */
export const OUT_OF_ORDER_TOLERANCE_MS = 60_000;

/**
 * Converts normalised local timestamps to UTC in `zone`. Log times carry no offset, so around a
 * daylight-saving change the rules are:
 * - The repeated hour (clocks go back): of its two readings, the earliest that is not before the
 *   previous line of the file (less OUT_OF_ORDER_TOLERANCE_MS). The log's own order tells which
 *   02:xx it is: 02:50 then 02:10 is 02:50 summer time, then 02:10 winter time, 20 minutes later.
 *   With no previous line, the first reading.
 * - The skipped hour (clocks go forward): such a time never showed on a clock that changed, so it
 *   is taken as the moment of the change itself: after every line before the gap, before every
 *   line after it.
 */
export function localToUtcConverter(zone: string): LocalToUtc {
  return localToUtcFromOffsets(intlOffsetAt(zone));
}

/** The zone's offset from UTC at a UTC instant, in milliseconds east of UTC (whole seconds). */
export type OffsetAt = (utcMs: number) => number;

/** `zone`'s offsets, read from Intl (which throws InvalidTimeZoneError for an unknown zone). */
export function intlOffsetAt(zone: string): OffsetAt {
  assertTimeZone(zone);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (utcMs: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utcMs))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day as number, parts.hour as number, parts.minute as number, parts.second as number);
    return wall - Math.floor(utcMs / 1000) * 1000;
  };
  return offsetAt;
}

/** localToUtcConverter with the zone's offsets from `offsetAt` (see the rules there). */
export function localToUtcFromOffsets(offsetAt: OffsetAt): LocalToUtc {
  // Per local hour: how it maps to UTC and, for whole-hour offsets of a plain hour, the UTC text up to the hour.
  const byHour = new Map<string, HourInfo>();
  // A day whose offset is the same from 14 h before its start to 14 h after its end has no
  // change near it: one offset serves all its hours (offsets are asked twice a day, not per hour).
  const steadyDays = new Map<string, number | null>();
  const steadyOffset = (dayKey: string, wallMs: number): number | null => {
    let offset = steadyDays.get(dayKey);
    if (offset === undefined) {
      const dayStart = wallMs - (wallMs % 86_400_000);
      const before = offsetAt(dayStart - 14 * 3_600_000);
      offset = before === offsetAt(dayStart + 38 * 3_600_000) ? before : null;
      if (steadyDays.size > 100_000) steadyDays.clear();
      steadyDays.set(dayKey, offset);
    }
    return offset;
  };
  const hourInfo = (hourKey: string, wallMs: number): HourInfo => {
    let info = byHour.get(hourKey);
    if (info === undefined) {
      const steady = steadyOffset(hourKey.slice(0, 10), wallMs);
      const reading: HourReading = steady === null ? readWallHour(wallMs, offsetAt) : { kind: 'plain', offset: steady };
      const utcHour = reading.kind === 'plain' && reading.offset % 3_600_000 === 0 ? new Date(wallMs - reading.offset).toISOString().slice(0, 14) : null;
      info = { reading, utcHour, wallMs };
      if (byHour.size > 100_000) byHour.clear();
      byHour.set(hourKey, info);
    }
    return info;
  };
  // Consecutive lines nearly always share their hour: the last one is checked first.
  let lastHourKey = '';
  let lastInfo: HourInfo = { reading: { kind: 'plain', offset: 0 }, utcHour: null, wallMs: 0 };
  return (local: string, after?: string | null): string => {
    let info = lastInfo;
    if (!local.startsWith(lastHourKey) || lastHourKey === '') {
      const hourKey = local.slice(0, 13);
      info =
        byHour.get(hourKey) ??
        hourInfo(hourKey, Date.UTC(Number(local.slice(0, 4)), Number(local.slice(5, 7)) - 1, Number(local.slice(8, 10)), Number(local.slice(11, 13))));
      lastHourKey = hourKey;
      lastInfo = info;
    }
    // Whole-hour offsets keep minutes, seconds and milliseconds as they are.
    if (info.utcHour !== null) return `${info.utcHour}${local.slice(14, 23)}Z`;
    const { reading } = info;
    if (reading.kind === 'skipped') return new Date(info.wallMs - reading.offsetBefore).toISOString();
    const wallMs = Date.UTC(
      Number(local.slice(0, 4)),
      Number(local.slice(5, 7)) - 1,
      Number(local.slice(8, 10)),
      Number(local.slice(11, 13)),
      Number(local.slice(14, 16)),
      Number(local.slice(17, 19)),
      Number(local.slice(20, 23)),
    );
    if (reading.kind === 'plain') return new Date(wallMs - reading.offset).toISOString();
    const first = wallMs - reading.firstOffset;
    const previous = after === undefined || after === null ? Number.NaN : Date.parse(after);
    const inSecondReading = previous - OUT_OF_ORDER_TOLERANCE_MS > first;
    return new Date(inSecondReading ? wallMs - reading.secondOffset : first).toISOString();
  };
}

/** How the wall-clock times of one local hour map to UTC. */
type HourReading =
  | { kind: 'plain'; offset: number }
  /** Clocks went back: the hour shows twice, first with `firstOffset`, then with `secondOffset`. */
  | { kind: 'repeated'; firstOffset: number; secondOffset: number }
  /** Clocks went forward over this hour: no instant shows it; the change happened at its start. */
  | { kind: 'skipped'; offsetBefore: number };

interface HourInfo {
  reading: HourReading;
  utcHour: string | null;
  /** The hour's start as if its wall time were UTC. */
  wallMs: number;
}

/**
 * How a wall-clock hour reads, from the offsets well before and well after it: of those that map
 * back onto this wall time, one is a plain hour, two a repeated one; none, a skipped one.
 */
function readWallHour(wallMs: number, offsetAt: (utcMs: number) => number): HourReading {
  const before = offsetAt(wallMs - 14 * 3_600_000);
  const after = offsetAt(wallMs + 14 * 3_600_000);
  const fits = (offset: number) => offsetAt(wallMs - offset) === offset;
  if (before !== after && fits(before) && fits(after)) {
    return { kind: 'repeated', firstOffset: Math.max(before, after), secondOffset: Math.min(before, after) };
  }
  if (fits(before)) return { kind: 'plain', offset: before };
  if (fits(after)) return { kind: 'plain', offset: after };
  return { kind: 'skipped', offsetBefore: before };
}
