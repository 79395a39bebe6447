import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken, sendHeartbeat, ServerProcess } from '../support/server-process.ts';
import { waitFor } from '../support/wait-for.ts';

// examples/python_slack_bolt: the standard-library part (home blocks, alerts from the stream,
// messages) with python3 against a real attune-monitor server process; no Slack involved.

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

const READ_TOKEN = 'lab-read-token-0123456789';
const CHECK = join(import.meta.dirname, 'attune_client_check.py');

/** python3 running the check: its JSON lines as they come. */
function python(url: string): { child: ChildProcess; lines: Array<Record<string, unknown>>; stderr: string[] } {
  const child = spawn('python3', [CHECK, url, READ_TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, end)) as Record<string, unknown>);
      buffer = buffer.slice(end + 1);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, lines, stderr };
}

describe('the Python module for a slack_bolt bot (standard library part)', () => {
  it('reads the home blocks with the read token, and posts an alert raised and resolved on the stream once each, escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-python-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'store.db');
    const agentToken = createToken(db, 'nxt-1');
    const server = await ServerProcess.start(db, 0, ['--heartbeat-interval-s', '1', '--grace-s', '0'], { env: { ATTUNE_READ_TOKEN: READ_TOKEN, ATTUNE_PUBLIC_URL: 'https://attune.lab.example/' } });
    cleanups.push(() => server.kill('SIGKILL'));
    const beat = async () => expect((await sendHeartbeat(server.url!, agentToken, 'nxt-1')).status).toBe(200);
    await beat();

    const py = python(server.url!);
    const seen = (key: string) => py.lines.find((line) => key in line);
    await waitFor('python to read the stream', () => seen('snapshot') !== undefined || py.child.exitCode !== null, 30_000);
    expect(py.stderr.join('')).toBe('');

    const home = JSON.stringify(seen('home')!.home);
    expect(home).toContain('Attune instruments');
    expect(home).toContain('*nxt-1*');
    expect(home).toContain('https://attune.lab.example/'); // the one primary button
    expect(home).not.toContain('attune_notify_when_free'); // nothing in a Python bot would answer it
    expect(seen('refused')!.refused).toMatch(/home-blocks answered 401/);
    expect(seen('snapshot')!.snapshot).toEqual(['nxt-1']);

    const escaped = JSON.stringify(seen('escaped')!.escaped);
    for (const markup of ['<!', '<@', '<#', '<http']) expect(escaped).not.toContain(markup);

    // Back online (whatever the PC was while Python started), then no heartbeat for longer than
    // the interval: offline (an alert), then back again.
    await beat();
    await waitFor('the offline alert', () => py.lines.some((line) => line.alert === 'raised'), 30_000);
    await beat();
    await waitFor('python to finish', () => py.child.exitCode !== null, 30_000);
    const result = seen('chat')!;
    expect(result.finished).toBe(true);
    const calls = result.chat as Array<{ method: string; channel: string; text: string; ts?: string }>;
    expect(calls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(calls[0]).toMatchObject({ channel: 'C0ALERTS', text: expect.stringMatching(/^Instrument PC offline on nxt-1: /) });
    expect(calls[1]).toMatchObject({ channel: 'C0ALERTS', ts: '1600000000.000001', text: expect.stringMatching(/^Resolved: Instrument PC offline on nxt-1: /) });
  }, 120_000);
});
