import { localToUtcConverter } from '../events/local-time.ts';
import type { RunOutcome } from '../machines/monitor-types.ts';
import type { ProcedureRunsReadModel } from '../store/procedure-runs-projection.ts';

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
  constructor(private readonly runs: ProcedureRunsReadModel) {}

  runsSince(instrumentId: string, sinceIso: string): RunBrief[] {
    return this.runs.find({ instrumentId, since: sinceIso, order: 'oldest' }).map(({ procedure, outcome, startedAt, endedAt }) => ({ procedure, outcome, startedAt, endedAt }));
  }
}

/** Midnight of the day `nowMs` falls on in `zone`, as UTC ISO: "today" is the lab's day, not UTC's. */
export function startOfDay(nowMs: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(nowMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return localToUtcConverter(zone)(`${part('year')}-${part('month')}-${part('day')} 00:00:00.000`);
}
