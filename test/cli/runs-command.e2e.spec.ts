import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

describe('attune-monitor runs', () => {
  it('prints the runs, sessions and alerts of a folder as one JSON object', () => {
    const result = runCli(['runs', '--json', '--timezone', 'UTC', `${FIXTURES}attune`]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { timezone: _zone, ...expected } = JSON.parse(readFileSync(`${FIXTURES}attune/expected-runs.json`, 'utf8')) as Record<string, unknown>;
    expect(JSON.parse(result.stdout)).toEqual(expected);
  });

  it('reads only System_*.log files of a folder, in name order, ending all but the newest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'));
    const crash = readFileSync(`${FIXTURES}cases/crash-relaunch/System_2021-03-07_09-00-00.log`);
    const relaunch = readFileSync(`${FIXTURES}cases/crash-relaunch/System_2021-03-07_09-40-12.log`);
    writeFileSync(join(dir, 'System_2021-03-07_09-40-12.log'), relaunch);
    writeFileSync(join(dir, 'System_2021-03-07_09-00-00.log'), crash);
    writeFileSync(join(dir, 'notes.txt'), 'not a log\n');
    writeFileSync(join(dir, 'Audit_2021-03-07.log'), '2021-03-07 09:00:00.000,Info,,Instrument,Event:Starting_Startup,1\n');
    const result = runCli(['runs', '--json', '--timezone', 'UTC', dir]);
    expect(result.status).toBe(0);
    const { runs } = JSON.parse(result.stdout) as { runs: Array<{ procedure: string; outcome: string | null }> };
    expect(runs.map((run) => [run.procedure, run.outcome])).toEqual([
      ['Acquisition', 'interrupted'],
      ['Rinse', null],
    ]);
  });

  it('prints a readable table by default, times in the given zone', () => {
    const result = runCli(['runs', '--timezone', 'Europe/Berlin', `${FIXTURES}attune/System_2020-09-11_12-26-48.log`]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Runs (35, times in Europe/Berlin)');
    expect(result.stdout).toMatch(/2020-09-11 12:30:07 +2020-09-11 12:44:31 +14m 23s +Startup +completed +jsmith/);
    expect(result.stdout).toContain('Bubble detected during Acquisition (tube) by jsmith');
  });

  it('exits 2 with a clear message for a path that does not exist', () => {
    const result = runCli(['runs', '/no/such/folder']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('attune-monitor: /no/such/folder: no such file or folder\n');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a folder without logs and for an unknown time zone', () => {
    const empty = mkdtempSync(join(tmpdir(), 'runs-empty-'));
    expect(runCli(['runs', empty])).toMatchObject({ status: 2, stderr: `attune-monitor: no System_*.log files in ${empty}\n` });
    expect(runCli(['runs', '--timezone', 'Mars/Olympus', `${FIXTURES}attune`])).toMatchObject({ status: 2, stderr: expect.stringContaining('unknown time zone "Mars/Olympus"') });
  });

  it('answers --help right away', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: attune-monitor');
    expect(result.stdout).toContain('runs [options] <paths...>');
  });
});
