import { compareLogNames, isSystemLogName } from '../parser/log-file-name.ts';
import type { FileCheckpoint } from './file-checkpoint.ts';

// Which files to read, in which order. Name order is launch order (docs/attune-logs.md §1):
// every file but the newest has ended, so it is read to its end and closed with `log_ended`;
// the newest is followed as it grows.

export interface PlannedRead {
  name: string;
  /** A newer file exists: read this one to its end, then end it. */
  endAtEof: boolean;
}

export interface FollowPlan {
  /** Files not yet ended, oldest first. */
  reads: PlannedRead[];
  /** The newest `System_*.log` (the one the software writes to), or null when there is none. */
  newest: string | null;
}

export function planReads(names: readonly string[], checkpoint: (name: string) => FileCheckpoint | undefined): FollowPlan {
  const logs = names.filter(isSystemLogName).sort(compareLogNames);
  const newest = logs.at(-1) ?? null;
  const reads = logs.filter((name) => checkpoint(name)?.ended !== true).map((name) => ({ name, endAtEof: name !== newest }));
  return { reads, newest };
}
