import { textTable } from '../../src/cli/text-table.ts';
import { FRACTIONS, type BacktestRow } from './backtest.ts';

/** The backtest as a table: per group and fraction, estimator / baseline median error (s) and their ratio. */
export function backtestTable(rows: readonly BacktestRow[]): string {
  const header = ['procedure', 'runs', ...FRACTIONS.map((f) => `at ${f * 100}%: est / base (ratio)`)];
  const body = rows.map((row) => [
    row.group,
    String(row.cells[0]?.runs ?? 0),
    ...row.cells.map((cell) => (cell === null ? '' : `${seconds(cell.estimator)} / ${seconds(cell.baseline)} (${ratio(cell.estimator, cell.baseline)})`)),
  ]);
  const coverage = rows.find((row) => row.group === 'overall');
  const footer = coverage === undefined ? '' : `\np10–p90 holds the actual end: ${coverage.cells.map((cell, i) => `${FRACTIONS[i]! * 100}%: ${cell === null ? '-' : `${Math.round(cell.coverage * 100)}%`}`).join(', ')}`;
  return textTable(header, body) + footer;
}

/** Whether the issue's target holds: at 50 % of a run, at most half the baseline's error (overall). */
export function meetsTarget(rows: readonly BacktestRow[]): boolean | null {
  const half = rows.find((row) => row.group === 'overall')?.cells[FRACTIONS.indexOf(0.5)];
  return half === null || half === undefined ? null : half.estimator <= 0.5 * half.baseline;
}

function seconds(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}s`;
}

function ratio(estimator: number, baseline: number): string {
  return baseline === 0 ? '-' : (estimator / baseline).toFixed(2);
}
