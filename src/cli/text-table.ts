/**
 * Text from a log (a user, a procedure, an agent's message) made safe for a terminal: control
 * characters (an escape sequence can rewrite the screen or the window title) and bidirectional
 * overrides (which reorder what is shown) become U+FFFD.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/** A plain text table: columns padded to their widest cell, a rule under the header; every cell terminal-safe. */
export function textTable(header: readonly string[], unsafeRows: ReadonlyArray<readonly string[]>): string {
  const rows = unsafeRows.map((row) => row.map(terminalSafe));
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

// Local times are read from a zone's offset, looked up with Intl once per UTC hour: a report
// shows thousands of times, and formatting each one with Intl costs more than reading the logs.
const clocks = new Map<string, LocalClock>();

/** A UTC ISO time shown as local wall-clock time in `zone` (`2020-09-11 12:30:07`). */
export function localTimeText(utcIso: string | null, zone: string): string {
  if (utcIso === null) return '';
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = new LocalClock(zone);
    clocks.set(zone, clock);
  }
  return clock.text(utcIso);
}

const HOUR_MS = 3_600_000;

class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  /** Per UTC hour, the zone's offset in ms, or null when it changes within that hour. */
  private readonly offsets = new Map<number, number | null>();
  private lastHour = '\u0000';
  private lastLocalHour: string | null = null;

  constructor(zone: string) {
    this.format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  text(utcIso: string): string {
    // The usual form (`2020-09-11T12:30:07.648Z`) in an hour whose offset is whole hours keeps
    // its minutes and seconds: only the hour's local text is looked up.
    if (utcIso.length === 24 && utcIso.charCodeAt(13) === 58 && utcIso.charCodeAt(23) === 90) {
      if (!utcIso.startsWith(this.lastHour)) {
        this.lastHour = utcIso.slice(0, 13);
        this.lastLocalHour = this.localHour(this.lastHour);
      }
      if (this.lastLocalHour !== null) return `${this.lastLocalHour}${utcIso.slice(13, 19)}`;
    }
    const ms = Date.parse(utcIso);
    const offset = Number.isNaN(ms) ? null : this.offsetInHour(Math.floor(ms / HOUR_MS));
    if (offset !== null) {
      const wall = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString();
      // Outside years 1000–9999 the ISO form is not four digits wide: Intl says it as it does.
      if (wall.length === 24) return `${wall.slice(0, 10)} ${wall.slice(11, 19)}`;
    }
    return this.formatted(new Date(utcIso));
  }

  /** `YYYY-MM-DD HH` local of a UTC hour (`YYYY-MM-DDTHH`) whose offset is the same whole hours throughout, else null. */
  private localHour(utcHour: string): string | null {
    const ms = Date.parse(`${utcHour}:00:00.000Z`);
    if (Number.isNaN(ms)) return null;
    const offset = this.offsetInHour(Math.floor(ms / HOUR_MS));
    if (offset === null || offset % HOUR_MS !== 0) return null;
    const wall = new Date(ms + offset).toISOString();
    return wall.length === 24 ? `${wall.slice(0, 10)} ${wall.slice(11, 13)}` : null;
  }

  private offsetInHour(hour: number): number | null {
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const start = this.offsetAt(hour * HOUR_MS);
      offset = start === this.offsetAt((hour + 1) * HOUR_MS - 1000) ? start : null;
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** Wall clock minus UTC at a whole second. */
  private offsetAt(utcMs: number): number {
    const wall = this.formatted(new Date(utcMs));
    return Date.parse(`${wall.slice(0, 10)}T${wall.slice(11)}Z`) - utcMs;
  }

  private formatted(date: Date): string {
    const parts = this.format.formatToParts(date);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
  }
}

/** A duration in seconds as `1h 02m 03s` / `4m 05s` / `6s`. */
export function durationText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function secondsBetween(startIso: string, endIso: string | null): number | null {
  return endIso === null ? null : (Date.parse(endIso) - Date.parse(startIso)) / 1000;
}
