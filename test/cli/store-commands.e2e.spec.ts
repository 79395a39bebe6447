import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, FIXTURE_PATH, tempDir } from '../store/store-test-kit.ts';
import { runCli } from '../support/run-cli.ts';

const cli = (cwd: string, ...args: string[]) => runCli(args, { cwd });

describe('store commands', () => {
  it('import, status, history and replay on the default database ./data/attune-monitor.db', () => {
    const cwd = tempDir();
    const first = cli(cwd, 'import', '--instrument', 'attune-1', '--timezone', 'UTC', FIXTURE_DIR);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/files\s+1\n/);
    expect(first.stdout).toMatch(/lines\s+1,212\n/);
    expect(first.stdout).toMatch(/records\s+1,212\n/);
    expect(first.stdout).toMatch(/unparsed lines\s+0\n/);
    expect(first.stdout).toMatch(/events appended\s+1,083\n/);
    expect(first.stdout).toMatch(/duplicates skipped\s+0\n/);
    expect(existsSync(join(cwd, 'data', 'attune-monitor.db'))).toBe(true);

    const again = cli(cwd, 'import', '--instrument', 'attune-1', '--timezone', 'UTC', FIXTURE_PATH);
    expect(again.stdout).toMatch(/events appended\s+0\n/);
    expect(again.stdout).toMatch(/duplicates skipped\s+1,083\n/);

    const status = cli(cwd, 'status', '--timezone', 'UTC');
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/attune-1\s+free, idle\s+Idle, nobody logged in\s+2020-09-11 14:56:29\s+Acquisition completed\s+0\s+2020-09-11 14:57:55/);
    const statusJson = JSON.parse(cli(cwd, 'status', '--json').stdout) as { instruments: Array<{ instrument_id: string; status: { availability: string } }> };
    expect(statusJson.instruments.map((i) => [i.instrument_id, i.status.availability])).toEqual([['attune-1', 'free']]);

    const history = cli(cwd, 'history', '--timezone', 'UTC');
    const rows = history.stdout.split('\n').slice(2, -2);
    expect(rows).toHaveLength(35);
    expect(rows[0]).toMatch(/^attune-1\s+2020-09-11 14:55:41\s+2020-09-11 14:56:29\s+47s\s+Acquisition\s+completed\s+jsmith/);
    expect(rows.some((row) => /Rinse \(inferred\)/.test(row))).toBe(true);
    expect(history.stdout).toMatch(/\(35 runs, newest first, times in UTC\)/);

    const since = JSON.parse(cli(cwd, 'history', '--json', '--instrument', 'attune-1', '--since', '2020-09-11T14:50:00Z').stdout) as { runs: Array<{ started_at: string }> };
    expect(since.runs.map((run) => run.started_at)).toEqual(['2020-09-11T14:55:41.866Z', '2020-09-11T14:52:48.315Z', '2020-09-11T14:51:46.677Z', '2020-09-11T14:50:24.985Z']);

    const replay = cli(cwd, 'replay');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/^Replayed 1,083 events of 1 instrument\(s\) in [\d.]+ s \([\d,]+ events\/s\)\n {2}procedure runs 35, user sessions 1, alerts 1\n$/);
  });

  it('refuses bad input with a clear message and a non-zero exit, creating no database', () => {
    const cwd = tempDir();
    const expectError = (result: ReturnType<typeof cli>, message: RegExp) => {
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^attune-monitor: /);
      expect(result.stdout).toBe('');
    };
    expectError(cli(cwd, 'import', '--instrument', 'attune-1', join(cwd, 'nope')), /nope: no such file or folder/);
    expectError(cli(cwd, 'import', '--instrument', 'attune-1', '--timezone', 'Mars/Olympus', FIXTURE_PATH), /unknown time zone "Mars\/Olympus"/);
    expectError(cli(cwd, 'import', '--instrument', 'a b', FIXTURE_PATH), /invalid instrument id "a b"/);
    expectError(cli(cwd, 'import', '--instrument', 'attune-1', cwd), /no System_\*\.log files/);
    expectError(cli(cwd, 'status'), /data\/attune-monitor\.db: no such database/);
    expectError(cli(cwd, 'history', '--since', 'last tuesday'), /--since: cannot read "last tuesday"/);
    expectError(cli(cwd, 'replay', '--db', cwd), /is a folder, not a database file/);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('refuses a file that is not a database, leaving it as it was', () => {
    const cwd = tempDir();
    const notes = join(cwd, 'notes.txt');
    writeFileSync(notes, 'not a database\n'.repeat(100));
    for (const args of [['import', '--instrument', 'attune-1', FIXTURE_PATH], ['status'], ['history'], ['replay']]) {
      const result = cli(cwd, ...args, '--db', notes);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`attune-monitor: ${notes}: not a database (not an SQLite file)\n`);
    }
  });

  it('a database locked by another process: a clear error within seconds, nothing written', () => {
    const cwd = tempDir();
    const db = join(cwd, 'store.db');
    expect(cli(cwd, 'import', '--db', db, '--instrument', 'attune-1', FIXTURE_PATH).status).toBe(0);
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const result = cli(cwd, 'import', '--db', db, '--instrument', 'attune-2', FIXTURE_PATH);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/store\.db: the database is locked by another process writing to it/);
      expect(Date.now() - started).toBeLessThan(20_000);
      // Readers are not blocked by the writer.
      expect(cli(cwd, 'status', '--db', db).status).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const check = new Database(db, { readonly: true });
    expect(check.prepare("SELECT count(*) FROM events WHERE instrument_id = 'attune-2'").pluck().get()).toBe(0);
    check.close();
  });

  it('a log file that fails to read is named in the error, and nothing of it is stored', () => {
    const cwd = tempDir();
    // Named explicitly, any file is read as a log; reading this one fails with EIO, even as root.
    const result = cli(cwd, 'import', '--instrument', 'attune-1', FIXTURE_PATH, '/proc/self/mem');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('attune-monitor: /proc/self/mem: cannot read: EIO: i/o error, read\n');
    const check = new Database(join(cwd, 'data', 'attune-monitor.db'), { readonly: true });
    // Files are imported one transaction each: the good one before it is kept whole.
    expect(check.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1084);
    expect(check.prepare("SELECT count(*) FROM events WHERE log_file = 'mem'").pluck().get()).toBe(0);
    check.close();
  });

  it('an unreadable log file is named in the error', () => {
    const cwd = tempDir();
    const log = join(cwd, 'System_2020-09-11_12-26-48.log');
    writeFileSync(log, 'x');
    chmodSync(log, 0o000);
    // Root reads any file: as root (CI), the command runs as the unprivileged `nobody`, as a lab user would.
    const asNobody = process.getuid?.() === 0;
    if (asNobody) chmodSync(cwd, 0o777);
    const result = runCli(['import', '--instrument', 'attune-1', log], { cwd, ...(asNobody ? { user: { uid: 65534, gid: 65534 }, env: { HOME: cwd } } : {}) });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/permission denied/);
  });
});
