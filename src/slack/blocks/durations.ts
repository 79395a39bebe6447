/** "45 s", "12 min", "1 h 05 min": as precise as a glance needs. */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * Whole minutes left, rounded up: "about 1 min left" until the end, never "about 0". Past the
 * estimate the run is late, and saying so is more honest than a negative countdown.
 */
export function remainingText(endMs: number, nowMs: number): string {
  const left = endMs - nowMs;
  if (left <= 0) return `running ${durationText(-left)} past the estimate`;
  return `about ${Math.ceil(left / 60_000)} min left`;
}

export function msBetween(fromIso: string, nowMs: number): number {
  return nowMs - Date.parse(fromIso);
}
