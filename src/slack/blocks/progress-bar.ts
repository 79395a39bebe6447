/**
 * A text bar, `▓▓▓▓░░░░░░`, for a fraction in [0, 1]. While a run is open it never shows full:
 * the last tenth is only reached when the run has really ended.
 */
export function progressBar(fraction: number, width = 10): string {
  const clamped = Number.isFinite(fraction) ? Math.min(Math.max(fraction, 0), 1) : 0;
  const filled = Math.min(width - 1, Math.floor(clamped * width));
  return '▓'.repeat(filled) + '░'.repeat(width - filled);
}
