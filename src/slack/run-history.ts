import type { Statement } from 'better-sqlite3';
import { localToUtcConverter } from '../events/local-time.ts';
import type { RunOutcome } from '../machines/monitor-types.ts';
import type { SqliteDatabase } from '../store/database.ts';

/** A run as "today's runs in brief" needs it. */
export interface RunBrief {
  procedure: string;
  outcome: RunOutcome | null;
  startedAt: string;
  endedAt: string | null;
}

/** Where the home tab reads an instrument's recent runs: the live feed carries only the current one. */
export interface RunHistory {
  runsSince(instrumentId: string, sinceIso: string): RunBrief[];
}

/** `procedure_runs` of the event store (open runs included, as of the last transaction). */
export class StoredRunHistory implements RunHistory {
  private readonly query: Statement;

  constructor(db: SqliteDatabase) {
    this.query = db.prepare(`
      SELECT procedure, outcome, started_at AS startedAt, ended_at AS endedAt
      FROM procedure_runs WHERE instrument_id = ? AND started_at >= ? ORDER BY started_at`);
  }

  runsSince(instrumentId: string, sinceIso: string): RunBrief[] {
    return this.query.all(instrumentId, sinceIso) as RunBrief[];
  }
}

/** Midnight of the day `nowMs` falls on in `zone`, as UTC ISO: "today" is the lab's day, not UTC's. */
export function startOfDay(nowMs: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(nowMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return localToUtcConverter(zone)(`${part('year')}-${part('month')}-${part('day')} 00:00:00.000`);
}
