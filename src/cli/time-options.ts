import { localToUtcConverter } from '../events/local-time.ts';
import { parseLogTimestamp } from '../parser/timestamp.ts';
import { CliError } from './cli-errors.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WITHOUT_SECONDS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;
const WITH_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A `--since` value as UTC ISO: a date (midnight) or a date and time, local to `zone`, or an ISO
 * time with its own zone (`Z`, `+02:00`).
 */
export function parseSince(text: string, zone: string): string {
  const trimmed = text.trim();
  if (WITH_ZONE.test(trimmed) && trimmed.length > 10) {
    const ms = Date.parse(trimmed);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  } else {
    const local = parseLogTimestamp(DATE_ONLY.test(trimmed) ? `${trimmed}T00:00:00` : WITHOUT_SECONDS.test(trimmed) ? `${trimmed}:00` : trimmed);
    if (local !== null) return localToUtcConverter(zone)(local);
  }
  throw new CliError(`--since: cannot read "${text}" (use a date such as 2020-09-11, a local time such as 2020-09-11T08:00, or an ISO time with a zone)`);
}

export function parsePositiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`${name}: expected a whole number ≥ 1, got "${text}"`);
  return value;
}
