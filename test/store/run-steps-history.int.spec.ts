import { join } from 'node:path';
import { expect, it } from 'vitest';
import { estimateRun } from '../../src/estimates/estimate-run.ts';
import { EstimatorHistory } from '../../src/estimates/estimator-history.ts';
import { timelineAt } from '../../src/estimates/run-timeline-collector.ts';
import { importPaths, openStore, shiftedFixture, tempDir } from './store-test-kit.ts';

const INSTRUMENT = 'attune-1';

// The server's history reads a group's latest runs from the store, and all of them only when a
// question reaches further back: either way it must answer as a history of every run would.
it("answers from the store's latest runs of a group as from all of them, at every moment", () => {
  const dir = tempDir();
  const store = openStore(join(dir, 'store.db'));
  // Nine launches: more rinses than the history reads at first.
  importPaths(store, INSTRUMENT, Array.from({ length: 9 }, (_, i) => shiftedFixture(dir, i - 9)));
  const closed = [...store.runTimelines(INSTRUMENT).closed];
  const rinses = closed.filter((run) => run.procedure === 'Rinse' && run.source === 'logged');
  expect(rinses.length).toBeGreaterThan(100);
  const everyRun = EstimatorHistory.from(closed);
  const fromStore = store.estimatorHistory(INSTRUMENT);
  // Latest first, as a live server asks, then back in time, as a backtest would.
  const asked = [...rinses].reverse().filter((_, i) => i % 9 === 0);
  for (const past of asked) {
    const at = new Date((Date.parse(past.startedAt) + Date.parse(past.endedAt!)) / 2).toISOString();
    const open = timelineAt(past, at);
    expect(estimateRun(fromStore, open, at)).toEqual(estimateRun(everyRun, open, at));
  }
  store.close();
});
