import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeartbeatStore } from '../../src/connectivity/heartbeat-store.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { logLine, logText } from '../support/attune-log.ts';
import { runCli } from '../support/run-cli.ts';

// Log text reaches the terminal through `runs` and `status`: an escape sequence in a procedure
// name must not reach it. And `status` tells what an agent's heartbeat reports of its outbox
// quarantine (see outbox.ts), not only its heartbeats.

const FILE = 'System_2020-09-11_12-26-48.log';
const ESCAPE = '\u001b]0;owned\u0007\u001b[2J';
/** Control characters other than the line end. */
const hasControl = (text: string) => [...text].some((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f));

describe('the terminal and status', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'attune-hostile-terminal-'));
    writeFileSync(
      join(dir, FILE),
      logText([
        logLine('2020-09-11 12:30:00.000', `Event:Starting_Rinse${ESCAPE}`, { user: `jsmith${ESCAPE}` }),
        logLine('2020-09-11 12:40:00.000', `Event:Rinse${ESCAPE}_Done~0`, { user: 'jsmith' }),
      ]),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs and status print no control character from a log', () => {
    const runs = runCli(['runs', '--timezone', 'UTC', join(dir, FILE)]);
    expect(runs.status).toBe(0);
    expect(runs.stdout).toContain('Rinse');
    expect(hasControl(runs.stdout)).toBe(false);
    const db = join(dir, 'store.db');
    expect(runCli(['import', '--db', db, '--instrument', 'nxt-1', '--timezone', 'UTC', join(dir, FILE)]).status).toBe(0);
    const status = runCli(['status', '--db', db, '--timezone', 'UTC']);
    expect(status.status).toBe(0);
    expect(hasControl(status.stdout)).toBe(false);
  });

  it('status tells of an agent whose outbox has quarantined lines', () => {
    const db = join(dir, 'store.db');
    expect(runCli(['import', '--db', db, '--instrument', 'nxt-1', '--timezone', 'UTC', join(dir, FILE)]).status).toBe(0);
    const store = EventStore.open(db);
    new HeartbeatStore(store.heartbeats).record(
      {
        instrument_id: 'nxt-1',
        agent_version: '1.0.0',
        host_name: 'LAB-PC',
        uptime_s: 10,
        logs_dir: 'C:\\Attune\\Logs',
        logs_dir_readable: true,
        following: null,
        last_line_at: null,
        attune_running: 'unknown',
        outbox_depth: 0,
        outbox_bytes: 0,
        outbox_quarantined: 2,
        last_error: `quarantine: 2 outbox lines could not be sent and were moved to C:\\state\\outbox\\quarantine.jsonl${ESCAPE}`,
        sent_at: '2020-09-11T12:41:00.000Z',
      },
      Date.parse('2020-09-11T12:41:00.000Z'),
    );
    store.close();
    const text = runCli(['status', '--db', db, '--timezone', 'UTC']);
    expect(text.stdout).toContain('nxt-1: its agent reports (2020-09-11 12:41:00): 2 outbox lines quarantined (not sent); quarantine: 2 outbox lines could not be sent');
    expect(hasControl(text.stdout)).toBe(false);
    const json = JSON.parse(runCli(['status', '--db', db, '--json']).stdout) as { instruments: Array<{ agent: { outbox_quarantined: number } | null }> };
    expect(json.instruments[0]?.agent?.outbox_quarantined).toBe(2);
  });
});
