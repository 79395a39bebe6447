import { groupKeysOf } from './history-groups.ts';
import { profileOf, type RunProfile } from './run-profile.ts';
import { ranToEnd, type RunTimeline } from './run-timeline.ts';

/**
 * An instrument's past runs, grouped and profiled once, for estimates at any moment. Built from
 * stored runs at start-up and extended as runs close, so a status never re-reads the history.
 * Queries take the moment they are asked at and only see runs that had ended by then, so the
 * same history answers a live countdown and a backtest of last month alike.
 */
export class EstimatorHistory {
  private readonly groups = new Map<string, RunProfile[]>();
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
    if (run.endedAt === null || !ranToEnd(run.outcome) || this.ids.has(run.id)) return false;
    this.ids.add(run.id);
    const profile = profileOf(run);
    for (const key of groupKeysOf(run)) {
      const list = this.groups.get(key);
      if (list === undefined) this.groups.set(key, [profile]);
      else list.splice(endedBy(list, profile.endedAtMs), 0, profile);
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
    return list.slice(Math.max(0, end - limit), end);
  }
}

/** How many runs of an end-ordered list ended at or before `atMs` (runs mostly arrive in order: the last is checked first). */
function endedBy(list: readonly RunProfile[], atMs: number): number {
  const last = list[list.length - 1];
  if (last === undefined || last.endedAtMs <= atMs) return list.length;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as RunProfile).endedAtMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
