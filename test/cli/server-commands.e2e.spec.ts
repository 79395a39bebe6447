import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, HEARTBEAT_PATH } from '../../src/protocol/api-paths.ts';
import { hashToken } from '../../src/store/token-store.ts';
import { runCli } from '../support/run-cli.ts';
import { createToken, ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/test-agent.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dbIn(): string {
  const dir = tempDir('server-cli');
  cleanups.push(dir.cleanup);
  return join(dir.path, 'monitor.db');
}

async function startServer(db: string, port = 0): Promise<ServerProcess> {
  const server = await ServerProcess.start(db, port);
  cleanups.push(() => server.kill('SIGKILL'));
  return server;
}

describe('attune-monitor token', () => {
  it('prints a new token as its last line and keeps only its hash; a new one replaces it; revoke removes it', () => {
    const db = dbIn();
    const first = runCli(['token', 'create', '--db', db, '--instrument', 'nxt-1']);
    expect(first.status).toBe(0);
    const token = first.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^atm_[A-Za-z0-9_-]{43}$/);
    expect(first.stdout).toContain('Created a token for nxt-1');
    const stored = () => new Database(db, { readonly: true }).prepare('SELECT instrument_id, token_sha256 FROM agent_tokens').all();
    expect(stored()).toEqual([{ instrument_id: 'nxt-1', token_sha256: hashToken(token).toString('hex') }]);
    expect(readFileSync(db).includes(token)).toBe(false);

    const second = createToken(db, 'nxt-1');
    expect(second).not.toBe(token);
    expect(stored()).toEqual([{ instrument_id: 'nxt-1', token_sha256: hashToken(second).toString('hex') }]);

    expect(runCli(['token', 'revoke', '--db', db, '--instrument', 'nxt-1'])).toMatchObject({ status: 0, stdout: 'Revoked the token of nxt-1.\n' });
    expect(stored()).toEqual([]);
    expect(runCli(['token', 'revoke', '--db', db, '--instrument', 'nxt-1'])).toMatchObject({ status: 1, stderr: 'attune-monitor: nxt-1 has no token to revoke\n' });
    expect(runCli(['token', 'create', '--db', db, '--instrument', '../x'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/invalid instrument id/) });
  });
});

describe('attune-monitor server', () => {
  it('says where it listens, serves, and stops cleanly on SIGTERM even with connections open', async () => {
    const db = dbIn();
    const token = createToken(db, 'nxt-1');
    const server = await startServer(db);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ ok: true });

    // A token made while the server runs works at once; a revoked one stops at once.
    const other = createToken(db, 'nxt-2');
    const heartbeat = {
      ...{ instrument_id: 'nxt-2', agent_version: '0.1.0', host_name: 'pc', uptime_s: 1, logs_dir: 'D:\\Logs', logs_dir_readable: true, following: null },
      ...{ last_line_at: null, attune_running: 'unknown', outbox_depth: 0, outbox_bytes: 0, last_error: null, sent_at: new Date().toISOString() },
    };
    const beat = (t: string) => fetch(`${server.url}${HEARTBEAT_PATH}`, { method: 'POST', headers: { authorization: bearer(t) }, body: JSON.stringify(heartbeat) });
    expect((await beat(other)).status).toBe(200);
    expect((await beat(token)).status).toBe(403);
    runCli(['token', 'revoke', '--db', db, '--instrument', 'nxt-2']);
    expect((await beat(other)).status).toBe(401);

    // An idle keep-alive connection and a request whose body never finishes.
    const { port } = new URL(server.url!);
    const idle = connect(Number(port), '127.0.0.1');
    const stuck = connect(Number(port), '127.0.0.1');
    await Promise.all([idle, stuck].map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    const closed = Promise.all([idle, stuck].map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    idle.on('error', () => {});
    stuck.on('error', () => {});
    // Addressed to the loopback name the server accepts (any other Host is refused at once), so the
    // request really waits for its body when the stop comes. Both sockets read whatever comes,
    // or an unread answer would keep them from ever seeing the end.
    idle.resume();
    stuck.resume();
    stuck.write(`POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n{"instrument_id":`);

    const stopping = Date.now();
    const exit = await server.kill('SIGTERM');
    expect(exit, server.tail()).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(5000);
    await closed;
    expect(server.output.join('')).toContain('"msg":"stopped"');
    // The database was closed: no WAL left behind.
    expect(() => readFileSync(`${db}-wal`)).toThrow();
  });

  it('refuses a port in use and bad options, with a clear message', async () => {
    const db = dbIn();
    const first = await startServer(db);
    const second = runCli(['server', '--db', db, '--host', '127.0.0.1', '--port', String(first.port)]);
    expect(second).toMatchObject({ status: 1, stderr: expect.stringContaining(`127.0.0.1:${first.port} is in use`) });
    expect(runCli(['server', '--db', db, '--port', 'eighty'])).toMatchObject({ status: 2, stderr: 'attune-monitor: --port must be a number\n' });
    expect(runCli(['server', '--db', db, '--grace-s', '-1'])).toMatchObject({ status: 2, stderr: 'attune-monitor: --grace-s must be at least 0\n' });
  });
});
