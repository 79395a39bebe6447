import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticHistory } from '../../src/synthetic/synthetic-history.ts';
import { runCli } from '../support/run-cli.ts';

// A generated lab history imported twice: all 10 days, and only the first 6 (as the database
// stood back then). The countdown at a moment must use only what came before it.
let dir: string;
let paths: string[];
const allDays = () => join(dir, 'all.db');
const sixDays = () => join(dir, 'six.db');

interface RunRow {
  procedure: string;
  started_at: string;
  ended_at: string;
  outcome: string;
}

function estimate(db: string, at: string) {
  const result = runCli(['estimate', '--db', db, '--instrument', 'lab1', '--at', at, '--json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'estimate-cli-'));
  paths = writeSyntheticHistory(join(dir, 'logs'), { startDate: '2024-03-04', days: 10, seed: 11, crashPerDay: 0 });
  expect(runCli(['import', '--db', allDays(), '--instrument', 'lab1', '--timezone', 'UTC', ...paths]).status).toBe(0);
  const firstSix = paths.filter((path) => Number(/System_2024-03-(\d\d)/.exec(path)?.[1]) <= 9);
  expect(runCli(['import', '--db', sixDays(), '--instrument', 'lab1', '--timezone', 'UTC', ...firstSix]).status).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runsOn(day: string, procedure: string): RunRow[] {
  const result = runCli(['history', '--db', allDays(), '--since', day, '--json']);
  const runs = (JSON.parse(result.stdout) as { runs: RunRow[] }).runs;
  return runs.filter((run) => run.procedure === procedure && run.outcome === 'completed' && run.started_at.startsWith(day));
}

describe('attune-monitor estimate', () => {
  it('gives the countdown of the run open at that moment, from past runs', () => {
    const [run] = runsOn('2024-03-13', 'Rinse');
    expect(run).toBeDefined();
    const start = Date.parse(run!.started_at);
    const end = Date.parse(run!.ended_at);
    const at = new Date(start + (end - start) / 2).toISOString();
    const answer = estimate(allDays(), at);
    expect(answer).toMatchObject({ procedure: 'Rinse', started_at: run!.started_at });
    expect(answer.based_on_runs).toBeGreaterThanOrEqual(3);
    const [p10, point, p90] = [answer.p10_end, answer.estimated_end, answer.p90_end].map((t) => Date.parse(t as string));
    expect(p10).toBeLessThanOrEqual(point!);
    expect(point).toBeLessThanOrEqual(p90!);
    expect(point).toBeGreaterThanOrEqual(Date.parse(at));
    // Halfway through a rinse the countdown is right to within half a minute.
    expect(Math.abs(point! - end)).toBeLessThan(30_000);
  });

  it('uses only the events before the moment: later history changes nothing', () => {
    const [run] = runsOn('2024-03-08', 'Startup');
    expect(run).toBeDefined();
    const at = new Date(Date.parse(run!.started_at) + 120_000).toISOString();
    expect(estimate(allDays(), at)).toEqual(estimate(sixDays(), at));
  });

  it('shows the same countdown in the instrument status, as of the last event stored', () => {
    // The log of the 7th launch cut mid-day: a run is open at the last line stored.
    const db = join(dir, 'partial.db');
    const cut = join(dir, 'cut');
    mkdirSync(cut, { recursive: true });
    const seventh = paths[6]!;
    writeFileSync(join(cut, basename(seventh)), readFileSync(seventh).subarray(0, 120_000));
    expect(runCli(['import', '--db', db, '--instrument', 'lab1', '--timezone', 'UTC', ...paths.slice(0, 6), cut]).status).toBe(0);
    const status = JSON.parse(runCli(['status', '--db', db, '--json']).stdout) as { instruments: Array<{ as_of: string; status: { run: unknown }; estimate: unknown }> };
    const [lab1] = status.instruments;
    expect(lab1?.status.run).not.toBeNull();
    expect(lab1?.estimate).toEqual(estimate(db, lab1!.as_of));
  });

  it('says nothing was running when nothing was', () => {
    expect(estimate(allDays(), '2024-03-10T03:00:00Z')).toEqual({ procedure: null });
  });

  it('refuses a moment without a zone and an unknown instrument, with exit code 2', () => {
    expect(runCli(['estimate', '--db', allDays(), '--instrument', 'lab1', '--at', '2024-03-10 03:00'])).toMatchObject({ status: 2, stderr: expect.stringContaining('not an ISO-8601 time with a zone') });
    expect(runCli(['estimate', '--db', allDays(), '--instrument', 'lab9', '--at', '2024-03-10T03:00:00Z'])).toMatchObject({ status: 2, stderr: 'attune-monitor: no events stored for instrument "lab9"\n' });
  });
});
