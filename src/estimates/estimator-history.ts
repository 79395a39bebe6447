import { groupKeysOf, type GroupMembers, type HistoryGroup } from './history-groups.ts';
import { profileOf, type RunProfile } from './run-profile.ts';
import { ranToEnd, type RunTimeline } from './run-timeline.ts';

/** A closed run as stored, before its steps are read: enough to group and order it. */
export type RunSummary = Omit<RunTimeline, 'steps' | 'waits'>;

/** A stored run: its summary, and its whole timeline read when an estimate first needs it. */
export interface StoredRun {
  run: RunSummary;
  timeline: () => RunTimeline;
}

/**
 * Every stored closed run of a group, in the store's order (end time, then id). A history that
 * reads its groups from here reads one only when an estimate first asks about it: a server starts
 * without reading the years it stores, and an open run costs the runs of its own kind.
 */
export type StoredGroups = (members: GroupMembers) => Iterable<StoredRun>;

/** A run of the history: profiled when an estimate first needs it (most never are: only the latest of a group are read). */
interface Entry {
  endedAtMs: number;
  profile: RunProfile | null;
  timeline: () => RunTimeline;
}

/**
 * An instrument's past runs, grouped and profiled once, for estimates at any moment. Read from the
 * store a group at a time, when an estimate first needs it, and extended as runs close, so a
 * status never re-reads the history.
 * Queries take the moment they are asked at and only see runs that had ended by then, so the
 * same history answers a live countdown and a backtest of last month alike.
 */
export class EstimatorHistory {
  private readonly groups = new Map<string, Entry[]>();
  private readonly ids = new Set<string>();

  /**
   * `stored`: where the groups are read from, each the first time it is asked about; without it the
   * history holds the runs it is given and nothing else.
   */
  constructor(private readonly stored: StoredGroups | null = null) {}

  static from(runs: Iterable<RunTimeline>): EstimatorHistory {
    const history = new EstimatorHistory();
    for (const run of runs) history.add(run);
    return history;
  }

  /**
   * Adds a closed run; returns whether it counts. Only runs that ran to their end count (see
   * `ranToEnd`), each once (a replay may offer a run again). A history read from the store is
   * given the runs as they close, each already stored: a group not read yet will read it with the others.
   */
  add(run: RunTimeline): boolean {
    return this.addSummary(run, () => run);
  }

  /**
   * The same for a run whose steps are read only if an estimate needs them (`timeline` gives the
   * whole run).
   */
  addSummary(run: RunSummary, timeline: () => RunTimeline): boolean {
    if (!counts(run) || this.ids.has(run.id)) return false;
    this.ids.add(run.id);
    const entry = entryOf(run, timeline);
    for (const key of groupKeysOf(run)) {
      const list = this.groups.get(key);
      if (list !== undefined) insert(list, entry);
      else if (this.stored === null) this.groups.set(key, [entry]);
    }
    return true;
  }

  /** How many runs of the group had ended by `atMs`. */
  countBy(group: HistoryGroup, atMs: number): number {
    return endedBy(this.runsOf(group), atMs);
  }

  /** The `limit` latest runs of the group that had ended by `atMs`, oldest first. */
  latestBy(group: HistoryGroup, atMs: number, limit: number): RunProfile[] {
    const list = this.runsOf(group);
    const end = endedBy(list, atMs);
    return list.slice(Math.max(0, end - limit), end).map(profiled);
  }

  /** The group's runs by end time, read from the store the first time it is asked about. */
  private runsOf(group: HistoryGroup): readonly Entry[] {
    let list = this.groups.get(group.key);
    if (list !== undefined) return list;
    list = [];
    if (this.stored === null) return list;
    for (const { run, timeline } of this.stored(group.members)) {
      if (!counts(run)) continue;
      // Also known by the group it was read with: the same run closing again is not added twice.
      this.ids.add(run.id);
      insert(list, entryOf(run, timeline));
    }
    this.groups.set(group.key, list);
    return list;
  }
}

/** Only runs that ran to their end count (see `ranToEnd`). */
function counts(run: RunSummary): boolean {
  return run.endedAt !== null && ranToEnd(run.outcome);
}

function entryOf(run: RunSummary, timeline: () => RunTimeline): Entry {
  // As `profileOf` ends it: never before its start.
  return { endedAtMs: Math.max(Date.parse(run.startedAt), Date.parse(run.endedAt as string)), profile: null, timeline };
}

/** Into an end-ordered list, after the runs that ended at the same moment (those added before it). */
function insert(list: Entry[], entry: Entry): void {
  list.splice(endedBy(list, entry.endedAtMs), 0, entry);
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
