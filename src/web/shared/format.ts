// Formats for people, shared by the pages' scripts (browser) and their tests (Node).

/** `42 s`, `4 min 10 s`, `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return s % 60 === 0 ? `${minutes} min` : `${minutes} min ${s % 60} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A shorter form for chart axes: `45s`, `12m`, `1.5m`, `1.5h` (distinct for distinct ticks). */
export function formatShortDuration(seconds: number): string {
  const short = (value: number) => String(Math.round(value * 10) / 10);
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${short(seconds / 60)}m`;
  return `${short(seconds / 3600)}h`;
}

/** `HH:MM` of a time, in the zone given by `offsetMs(ms)` (the viewer's). */
export function formatClock(ms: number, offsetMs: (ms: number) => number): string {
  const local = new Date(ms + offsetMs(ms));
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}
