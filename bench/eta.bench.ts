import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SYNTHETIC_HISTORY, writeSyntheticHistory } from '../src/synthetic/synthetic-history.ts';
import { backtest } from './eta/backtest.ts';
import { readTimelines } from './eta/read-timelines.ts';
import { backtestTable, meetsTarget } from './eta/report.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/attune/', import.meta.url));

/**
 * How right the countdown is. Median absolute error of the remaining time at 0, 25, 50
 * and 75 % of each run, estimator against the naive median-duration baseline, on a generated
 * history and on the real fixture.
 */
export function etaBench(): void {
  const options = DEFAULT_SYNTHETIC_HISTORY;
  const dir = mkdtempSync(join(tmpdir(), 'attune-eta-'));
  try {
    const started = process.hrtime.bigint();
    const files = writeSyntheticHistory(dir, options);
    const timelines = readTimelines([dir], 'UTC');
    const rows = backtest(timelines);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`\nETA backtest: generated history (${options.days} days from ${options.startDate}, seed ${options.seed}: ${files.length} log files, ${timelines.length} runs; ${seconds.toFixed(1)} s)`);
    console.log('median |error| of the remaining time, estimator / baseline (median past duration − elapsed)');
    console.log(backtestTable(rows));
    const met = meetsTarget(rows);
    console.log(`target (overall, at 50%: estimator ≤ ½ baseline): ${met === null ? 'no data' : met ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const fixture = readTimelines([FIXTURE_DIR], 'UTC');
  console.log(`\nETA backtest: real fixture (1 log file, ${fixture.length} runs; few have 3 earlier runs of their kind)`);
  console.log(backtestTable(backtest(fixture)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) etaBench();
