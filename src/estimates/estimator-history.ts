import { groupKeysOf } from './history-groups.ts';
import { profileOf, type RunProfile } from './run-profile.ts';
import { ranToEnd, type RunTimeline } from './run-timeline.ts';

/**
 * An instrument's past runs, grouped and profiled once, for estimates at any moment. Built from
 * stored runs at start-up and extended as runs close, so a status never re-reads the history.
 * Queries take the moment they are asked at and only see runs that had ended by then, so the
 * same history answers a live countdown and a backtest of last month alike.
 */
/** A closed run as stored, before its steps are read: enough to group and order it. */
export type RunSummary = Omit<RunTimeline, 'steps' | 'waits'>;

/** A run of the history: profiled when an estimate first needs it (most never are: only the latest of a group are read). */
interface Entry {
  endedAtMs: number;
  profile: RunProfile | null;
  timeline: () => RunTimeline;
}

export class EstimatorHistory {
  private readonly groups = new Map<string, Entry[]>();
  private readonly ids = new Set<string>();

  static from(runs: Iterable<RunTimeline>): EstimatorHistory {
    const history = new EstimatorHistory();
    for (const run of runs) history.add(run);
    return history;
  }

  /**
   * Adds a closed run; returns whether it counts. Only runs that ran to their end count (see
   * `ranToEnd`), each once (a replay may offer a run again).
   */
  add(run: RunTimeline): boolean {
    return this.addSummary(run, () => run);
  }

  /**
   * The same for a run whose steps are read only if an estimate needs them (`timeline` gives the
   * whole run): a start-up reads a year of runs without their steps.
   */
  addSummary(run: RunSummary, timeline: () => RunTimeline): boolean {
    if (run.endedAt === null || !ranToEnd(run.outcome) || this.ids.has(run.id)) return false;
    this.ids.add(run.id);
    // As `profileOf` ends it: never before its start.
    const entry: Entry = { endedAtMs: Math.max(Date.parse(run.startedAt), Date.parse(run.endedAt)), profile: null, timeline };
    for (const key of groupKeysOf(run)) {
      const list = this.groups.get(key);
      if (list === undefined) this.groups.set(key, [entry]);
      else list.splice(endedBy(list, entry.endedAtMs), 0, entry);
    }
    return true;
  }

  /** How many runs of the group had ended by `atMs`. */
  countBy(groupKey: string, atMs: number): number {
    const list = this.groups.get(groupKey);
    return list === undefined ? 0 : endedBy(list, atMs);
  }

  /** The `limit` latest runs of the group that had ended by `atMs`, oldest first. */
  latestBy(groupKey: string, atMs: number, limit: number): RunProfile[] {
    const list = this.groups.get(groupKey);
    if (list === undefined) return [];
    const end = endedBy(list, atMs);
    return list.slice(Math.max(0, end - limit), end).map(profiled);
  }
}

function profiled(entry: Entry): RunProfile {
  if (entry.profile === null) entry.profile = profileOf(entry.timeline());
  return entry.profile;
}

/** How many runs of an end-ordered list ended at or before `atMs` (runs mostly arrive in order: the last is checked first). */
function endedBy(list: readonly Entry[], atMs: number): number {
  const last = list[list.length - 1];
  if (last === undefined || last.endedAtMs <= atMs) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Entry).endedAtMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
