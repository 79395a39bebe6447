// Log times are the instrument PC's wall clock with no zone; stored times are UTC. The zone is
// configuration (default: this machine's). Offsets are cached per local hour: zones change
// offset on whole or half hours, and Intl is far too slow to call for every line.

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

export type LocalToUtc = (localTimestamp: string) => string;

/**
 * Converts normalised local timestamps (`YYYY-MM-DD HH:MM:SS.mmm`) to UTC ISO-8601 in `zone`.
 * In the repeated hour when clocks go back, the first (earlier) instant is taken; a time in the
 * skipped hour when they go forward is read with the offset before the change.
 */
export function localToUtcConverter(zone: string): LocalToUtc {
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
  // Per local hour: its offset and, for whole-hour offsets, the UTC text up to the hour.
  const byHour = new Map<string, { offset: number; utcHour: string | null }>();
  // A day whose offset is the same from 14 h before its start to 14 h after its end has no
  // change near it: one offset serves all its hours (Intl is asked twice a day, not per hour).
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
  const hourInfo = (hourKey: string, wallMs: number) => {
    let info = byHour.get(hourKey);
    if (info === undefined) {
      const offset = steadyOffset(hourKey.slice(0, 10), wallMs) ?? offsetForWallTime(wallMs, offsetAt);
      const utcHour = offset % 3_600_000 === 0 ? new Date(wallMs - offset).toISOString().slice(0, 14) : null;
      info = { offset, utcHour };
      if (byHour.size > 100_000) byHour.clear();
      byHour.set(hourKey, info);
    }
    return info;
  };
  // Consecutive lines nearly always share their hour: the last one is checked first.
  let lastHourKey = '';
  let lastInfo = { offset: 0, utcHour: null as string | null };
  return (local: string): string => {
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
    const wallMs = Date.UTC(
      Number(local.slice(0, 4)),
      Number(local.slice(5, 7)) - 1,
      Number(local.slice(8, 10)),
      Number(local.slice(11, 13)),
      Number(local.slice(14, 16)),
      Number(local.slice(17, 19)),
      Number(local.slice(20, 23)),
    );
    return new Date(wallMs - info.offset).toISOString();
  };
}

/**
 * The zone offset that applies to a wall-clock time. Offsets well before and well after are the
 * candidates; of those that map back onto this wall time the earliest instant wins (the first of
 * a repeated hour); when none does (a skipped hour), the offset from before the change is used.
 */
function offsetForWallTime(wallMs: number, offsetAt: (utcMs: number) => number): number {
  const before = offsetAt(wallMs - 14 * 3_600_000);
  const after = offsetAt(wallMs + 14 * 3_600_000);
  const fits = (offset: number) => offsetAt(wallMs - offset) === offset;
  if (before !== after && fits(before) && fits(after)) return Math.max(before, after);
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before;
}
