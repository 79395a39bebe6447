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
    // The fields the hand-written expectation names, each equal; the others are checked below.
    expect(JSON.parse(result.stdout)).toMatchObject(expected);
  });

  it('gives in JSON every field the table shows: durations, steps, FCS files, the alert message and when it resolved', () => {
    const result = runCli(['runs', '--json', '--timezone', 'UTC', `${FIXTURES}attune`]);
    type Timed = { started_at: string; ended_at: string | null; duration_s: number | null };
    const { runs, sessions, alerts } = JSON.parse(result.stdout) as {
      runs: Array<Timed & { procedure: string; steps: number; fcs_files: number }>;
      sessions: Array<Timed>;
      alerts: Array<{ kind: string; raised_at: string; resolved_at: string | null; message: string }>;
    };
    // 12:30:07.648 to 12:44:31.086: 14 min 23.438 s, as the table's "14m 23s".
    expect(runs[0]).toMatchObject({ procedure: 'Startup', duration_s: 863.438, fcs_files: 0 });
    // Logged in 12:27:24.997, out 14:57:55.397.
    expect(sessions[0]!.duration_s).toBe(9030.4);
    // Line 947 raises it ("New Bubble Detected"), line 953 (Acquisition_Done) settles it.
    expect(alerts[0]).toMatchObject({ kind: 'bubble', raised_at: '2020-09-11T14:31:10.721Z', resolved_at: '2020-09-11T14:31:18.922Z', message: expect.stringContaining('Bubble') });
    for (const item of [...runs, ...sessions]) expect(item.duration_s).toBe(item.ended_at === null ? null : (Date.parse(item.ended_at) - Date.parse(item.started_at)) / 1000);
    for (const run of runs) expect([run.steps, run.fcs_files].every(Number.isInteger)).toBe(true);
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

  it('prints its version, and shows numeric defaults as numbers in --help', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const version = runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const help = runCli(['server', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(default: 8787)');
    expect(help).toContain('(default: 30)');
    expect(help).not.toMatch(/default: "\d+(\.\d+)?"/);
  });
});
