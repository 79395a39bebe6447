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
 * The store's closed runs that ran to their end, by group, in the history's order: by end
 * (`endedAtMs`), then end time and id. A history that reads its groups from here reads one only
 * when an estimate first asks about it, and then only its latest runs: a server starts without
 * reading the years it stores.
 */
export interface StoredGroups {
  /** The group's `limit` latest runs, oldest first, and how many it has in all. */
  latest(members: GroupMembers, limit: number): { total: number; runs: StoredRun[] };
  /** All the group's runs, oldest first. */
  all(members: GroupMembers): StoredRun[];
}

/**
 * How many of a group's latest runs are read at first. The estimator looks at its window (40) of
 * them, and a well is counted back to the oldest run of its plate's window: more than that is
 * read only when a question reaches further back (a backtest, a clock set back), and then whole.
 */
const READ_LATEST = 100;

/** A run of the history: profiled when an estimate first needs it (most never are: only the latest of a group are read). */
interface Entry {
  endedAtMs: number;
  profile: RunProfile | null;
  timeline: () => RunTimeline;
}

/** A group's runs by end, runs that ended at the same moment in the order they came. */
interface Group {
  entries: Entry[];
  /** How many stored runs of the group, all ended at or before `entries[0]`, were not read (yet). */
  unread: number;
}

/**
 * An instrument's past runs, grouped and profiled once, for estimates at any moment. Read from the
 * store a group at a time, when an estimate first needs it, and extended as runs close, so a
 * status never re-reads the history.
 * Queries take the moment they are asked at and only see runs that had ended by then, so the
 * same history answers a live countdown and a backtest of last month alike.
 */
export class EstimatorHistory {
  private readonly groups = new Map<string, Group>();
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
   * given the runs stored since, as they close: a group not read yet will read them with the others.
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
      const group = this.groups.get(key);
      if (group === undefined) {
        if (this.stored === null) this.groups.set(key, { entries: [entry], unread: 0 });
      } else if (group.unread > 0 && entry.endedAtMs < group.entries[0]!.endedAtMs) {
        // Ended before the runs read (a clock set back): among the unread ones. Read again when asked.
        this.groups.delete(key);
      } else insert(group.entries, entry);
    }
    return true;
  }

  /** How many runs of the group had ended by `atMs`. */
  countBy(group: HistoryGroup, atMs: number): number {
    let runs = this.runsOf(group);
    if (runs.unread > 0 && atMs < runs.entries[0]!.endedAtMs) runs = this.readWhole(group);
    return runs.unread + endedBy(runs.entries, atMs);
  }

  /** The `limit` latest runs of the group that had ended by `atMs`, oldest first. */
  latestBy(group: HistoryGroup, atMs: number, limit: number): RunProfile[] {
    let runs = this.runsOf(group);
    if (runs.unread > 0 && endedBy(runs.entries, atMs) < limit) runs = this.readWhole(group);
    const end = endedBy(runs.entries, atMs);
    return runs.entries.slice(Math.max(0, end - limit), end).map(profiled);
  }

  /** The group's runs, its latest read from the store the first time it is asked about. */
  private runsOf(group: HistoryGroup): Group {
    const known = this.groups.get(group.key);
    if (known !== undefined) return known;
    if (this.stored === null) return { entries: [], unread: 0 };
    const { total, runs } = this.stored.latest(group.members, READ_LATEST);
    return this.keep(group, runs, total - runs.length);
  }

  private readWhole(group: HistoryGroup): Group {
    return this.keep(group, this.stored!.all(group.members), 0);
  }

  private keep(group: HistoryGroup, runs: readonly StoredRun[], unread: number): Group {
    const entries: Entry[] = [];
    for (const { run, timeline } of runs) {
      // Also known by the group it was read with: the same run closing again is not added twice.
      this.ids.add(run.id);
      insert(entries, entryOf(run, timeline));
    }
    const read = { entries, unread };
    this.groups.set(group.key, read);
    return read;
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
