import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runsFromPaths } from '../../src/cli/runs-command.ts';
import { runsReportJson } from '../../src/reports/runs-report.ts';

// Golden fixtures: each folder holds System_*.log files and, beside them, expected-runs.json
// written by hand from the rules of docs/attune-logs.md §4 (with the time zone the logs are read in).
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const folders = ['attune', ...readdirSync(`${FIXTURES}cases`).map((name) => `cases/${name}`)];

describe('runs of the golden fixtures', () => {
  it.each(folders)('%s', (folder) => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}${folder}/expected-runs.json`, 'utf8')) as { timezone: string };
    const { timezone, ...report } = expected;
    // Every field written by hand must match, and every run, session and alert must be there (arrays
    // match in length); fields derived from those (durations, step and file counts, the alert's
    // message) are asserted in test/cli/runs-command.e2e.spec.ts.
    expect(runsReportJson(runsFromPaths([`${FIXTURES}${folder}`], timezone))).toMatchObject(report);
  });

  it('finds in the real log 33 logged runs: Calibration 3× unconfirmed, Sample Recovery 1× cancelled, the rest completed', () => {
    const { runs, alerts } = runsFromPaths([`${FIXTURES}attune`], 'UTC');
    const logged = runs.filter((run) => run.source === 'logged');
    expect(logged).toHaveLength(33);
    expect(logged.filter((run) => run.outcome === 'unconfirmed').map((run) => run.procedure)).toEqual(['Calibration', 'Calibration', 'Calibration']);
    expect(logged.filter((run) => run.outcome === 'cancelled').map((run) => run.procedure)).toEqual(['Sample Recovery']);
    expect(logged.filter((run) => run.outcome === 'completed')).toHaveLength(29);
    expect(alerts.filter((alert) => alert.kind === 'bubble')).toHaveLength(1);
  });
});
