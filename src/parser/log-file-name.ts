import { parseLogTimestamp } from './timestamp.ts';

// docs/attune-logs.md §1: one `System_YYYY-MM-DD_HH-MM-SS.log` per launch; name order is launch order.

const SYSTEM_LOG = /^System_.*\.log$/i;
const LAUNCH_TIME = /^System_(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})\.log$/i;

/** Only `System_*.log` files are instrument logs; the folder holds other files too. */
export function isSystemLogName(name: string): boolean {
  return SYSTEM_LOG.test(name);
}

/** The launch time in the name, as a normalised local timestamp, or null when the name has none. */
export function launchTimeFromName(name: string): string | null {
  const m = LAUNCH_TIME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  return parseLogTimestamp(`${y}-${mo}-${d}T${h}:${mi}:${s}`);
}

/** Launch order: by name (the names start with the launch time). */
export function compareLogNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
