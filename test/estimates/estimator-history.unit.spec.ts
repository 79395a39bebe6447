import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory, type StoredGroups } from '../../src/estimates/estimator-history.ts';
import type { GroupMembers } from '../../src/estimates/history-groups.ts';
import { ranToEnd, type RunTimeline } from '../../src/estimates/run-timeline.ts';
import { run, straightSteps, t } from './run-builder.ts';

/** A store of closed runs as `run_steps` answers for a group: its members in the history's order. */
function storeOf(runs: RunTimeline[]): { stored: StoredGroups; asked: string[] } {
  const asked: string[] = [];
  const endOf = (past: RunTimeline) => Math.max(Date.parse(past.startedAt), Date.parse(past.endedAt!));
  const membersOf = (members: GroupMembers) =>
    runs
      .filter((past) => past.procedure === members.procedure && past.source === members.source && ranToEnd(past.outcome))
      .filter((past) => {
        const { wells } = members;
        if (wells.kind === 'tube') return past.well === null;
        if (wells.kind === 'plate') return past.well !== null;
        return wells.kind === 'any' || past.well === wells.well;
      })
      .sort((a, b) => endOf(a) - endOf(b) || (a.endedAt! < b.endedAt! ? -1 : a.endedAt! > b.endedAt! ? 1 : a.id < b.id ? -1 : 1))
      .map((past) => ({ run: past, timeline: () => past }));
  const label = (members: GroupMembers) => (members.wells.kind === 'well' ? `well ${members.wells.well}` : members.wells.kind);
  const stored: StoredGroups = {
    latest: (members, limit) => {
      asked.push(`latest ${limit} of ${label(members)}`);
      const all = membersOf(members);
      return { total: all.length, runs: all.slice(Math.max(0, all.length - limit)) };
    },
    all: (members) => {
      asked.push(`all of ${label(members)}`);
      return membersOf(members);
    },
  };
  return { stored, asked };
}

const rinses = Array.from({ length: 6 }, (_, i) => run({ procedure: 'Rinse', start: i * 1000, steps: straightSteps(4, 20 + i), end: 120 + i * 4 }));
const wells = Array.from({ length: 8 }, (_, i) => run({ procedure: 'Acquisition', well: i % 2 === 0 ? 'A1' : 'B1', start: 10_000 + i * 1000, steps: straightSteps(3, 30), end: 100 + i }));
const tubes = Array.from({ length: 4 }, (_, i) => run({ procedure: 'Acquisition', start: 20_000 + i * 1000, steps: straightSteps(3, 40), end: 130 }));
const everything = [...rinses, ...wells, ...tubes];

describe('a history read from the store', () => {
  it("reads nothing until an estimate asks, then only the open run's groups, each once", () => {
    const { stored, asked } = storeOf(everything);
    const history = new EstimatorHistory(stored);
    expect(asked).toEqual([]);
    const open = run({ procedure: 'Acquisition', well: 'A1', start: 30_000, steps: [[1, 30]] });
    const at = t(30_040);
    const estimate = estimateRun(history, open, at);
    expect(estimate).toEqual(estimateRun(EstimatorHistory.from(everything), open, at));
    expect(estimate.estimatedEnd).not.toBeNull();
    expect(asked).toEqual(['latest 100 of well A1', 'latest 100 of plate']);
    estimateRun(history, open, t(30_050));
    expect(asked).toHaveLength(2);
  });

  it('counts a run that closes while the server runs once, whether its group was read before or after', () => {
    const later = run({ procedure: 'Rinse', start: 40_000, steps: straightSteps(4, 50), end: 300 });
    const open = run({ procedure: 'Rinse', start: 50_000, steps: [[1, 50]] });
    const at = t(50_060);
    const expected = estimateRun(EstimatorHistory.from([...everything, later]), open, at);
    expect(expected.basedOnRuns).toBe(rinses.length + 1);

    // Not read yet when the run closes: the store already holds it, and the read brings it in.
    const unread = new EstimatorHistory(storeOf([...everything, later]).stored);
    expect(unread.add(later)).toBe(true);
    expect(estimateRun(unread, open, at)).toEqual(expected);

    // Read before it closes: added to what was read.
    const read = new EstimatorHistory(storeOf(everything).stored);
    estimateRun(read, open, t(39_000));
    expect(read.add(later)).toBe(true);
    expect(read.add(later)).toBe(false);
    expect(estimateRun(read, open, at)).toEqual(expected);
  });

  it('reads only the latest runs of a group, and the whole group for a question further back: the same answers at every moment', () => {
    const many = Array.from({ length: 250 }, (_, i) => run({ procedure: 'Debubble', start: i * 1000, steps: straightSteps(3, 20 + (i % 7)), end: 100 + (i % 11) }));
    const { stored, asked } = storeOf(many);
    const history = new EstimatorHistory(stored);
    const eager = EstimatorHistory.from(many);
    const openAt = (start: number) => run({ procedure: 'Debubble', start, steps: [[1, 20]] });
    expect(estimateRun(history, openAt(300_000), t(300_030))).toEqual(estimateRun(eager, openAt(300_000), t(300_030)));
    expect(asked).toEqual(['latest 100 of any']);
    for (const start of [200_500, 150_500, 20_500, 1_500]) {
      expect(estimateRun(history, openAt(start), t(start + 30))).toEqual(estimateRun(eager, openAt(start), t(start + 30)));
    }
    expect(asked).toEqual(['latest 100 of any', 'all of any']);
  });

  it('reads a group again when a run closes before the runs it read (a clock set back)', () => {
    const many = Array.from({ length: 150 }, (_, i) => run({ procedure: 'Debubble', start: 10_000 + i * 1000, steps: straightSteps(3, 20), end: 100 + (i % 5) }));
    const early = run({ procedure: 'Debubble', start: 0, steps: straightSteps(3, 90), end: 400 });
    const open = run({ procedure: 'Debubble', start: 200_000, steps: [[1, 20]] });
    const { stored, asked } = storeOf([...many, early]);
    const history = new EstimatorHistory(stored);
    estimateRun(history, open, t(159_000));
    history.add(early);
    expect(estimateRun(history, open, t(200_030))).toEqual(estimateRun(EstimatorHistory.from([...many, early]), open, t(200_030)));
    expect(asked).toEqual(['latest 100 of any', 'latest 100 of any']);
  });
});
