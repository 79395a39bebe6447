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

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, format);
  }
  return format;
}

/** A UTC ISO time shown as local wall-clock time in `zone` (`2020-09-11 12:30:07`). */
export function localTimeText(utcIso: string | null, zone: string): string {
  if (utcIso === null) return '';
  const parts = formatFor(zone).formatToParts(new Date(utcIso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
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
