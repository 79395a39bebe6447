import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';
import { slackHomeBlocks } from '../../src/slack/home/home-blocks.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { readAccessFor } from '../../src/web/read-access.ts';
import { webPlugin } from '../../src/web/web-plugin.ts';
import { runCli } from '../support/run-cli.ts';

// Hostile input on a real server over HTTP: refused requests flooding the log, read
// access that took its schemes in one case only and `?token=` on some paths only, a loopback
// server answering any Host (DNS rebinding), special files as the database, a body nested
// millions deep.

const READ_TOKEN = 'read-token-0123456789';
const AGENT_TOKEN = 'agent-token-nxt-1';
const BASIC = 'lab:s3cret-pass';

/** A request with any Host header (fetch will not send one of our choosing). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a server bound to 127.0.0.1 facing hostile requests', () => {
  let dir: string;
  let server: RunningServer;
  let logged: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attune-hostile-server-'));
    logged = [];
    const access = readAccessFor({ host: '127.0.0.1', readToken: READ_TOKEN, basicAuth: BASIC });
    server = await startServer({
      dbPath: join(dir, 'server.db'),
      host: '127.0.0.1',
      port: 0,
      config: SERVER_DEFAULTS,
      log: pino({ level: 'info' }, { write: (line: string) => void logged.push(line) }),
      plugins: [webPlugin({ access })],
      slackHomeBlocks: slackHomeBlocks({ timeZone: 'UTC', publicUrl: null }),
      allowedHosts: ['monitor.lab.example'],
    });
    server.tokens.register('nxt-1', AGENT_TOKEN);
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logBytes = () => logged.reduce((sum, line) => sum + Buffer.byteLength(line), 0);

  it('logs 2,000 refused requests from one client in a line, and their count once the minute is over', async () => {
    const before = logBytes();
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: 'Bearer wrong-token', 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)),
      ).then((statuses) => expect(new Set(statuses)).toEqual(new Set([401])));
    }
    const during = logBytes() - before;
    console.log(`log bytes for 2,000 refused requests: ${during}`);
    expect(during).toBeLessThan(1024);
    await server.close();
    const counted = logged.map((line) => JSON.parse(line) as { msg: string; more?: number }).find((line) => line.more !== undefined);
    expect(counted).toMatchObject({ more: 1999, msg: '1999 more requests refused from 127.0.0.1 within a minute' });
  });

  it('takes the read token and basic credentials with their scheme in any case, as the agent API does', async () => {
    const basic = Buffer.from(BASIC).toString('base64');
    for (const authorization of [`Bearer ${READ_TOKEN}`, `bearer ${READ_TOKEN}`, `BEARER ${READ_TOKEN}`, `Basic ${basic}`, `basic ${basic}`]) {
      expect((await get(`${server.url}/api/v1/instruments`, { authorization })).status, authorization).toBe(200);
    }
    expect((await get(`${server.url}/api/v1/instruments`, { authorization: 'bearer wrong-token-0123456' })).status).toBe(401);
  });

  it('takes ?token= the same way on every read path, strict queries included', async () => {
    await fetch(`${server.url}/api/v1/heartbeat`, { method: 'POST' });
    for (const path of ['/api/v1/instruments', '/api/v1/web/runs', '/api/v1/instruments/nxt-1/runs?limit=5', '/api/v1/slack/home-blocks?user=U0123ABCD', '/statechart']) {
      const url = `${server.url}${path}${path.includes('?') ? '&' : '?'}token=${READ_TOKEN}`;
      const { status, body } = await get(url);
      expect(status === 200 || status === 404 ? 'not refused' : `${status} ${body}`, path).toBe('not refused');
      expect((await get(`${server.url}${path}`)).status, path).toBe(401);
    }
  });

  it('answers only requests addressed to a loopback name or an allowed one (DNS rebinding)', async () => {
    const auth = { authorization: `Bearer ${READ_TOKEN}` };
    const port = server.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `monitor.lab.example:${port}`]) {
      expect((await get(`${server.url}/api/v1/instruments`, { ...auth, host })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      const { status, body } = await get(`${server.url}/api/v1/instruments`, { ...auth, host });
      expect(status, host).toBe(403);
      expect(body).toContain('--allowed-host');
    }
  });

  it('refuses a body nested 3 million levels deep before parsing it, without holding the event loop', async () => {
    const body = `${'['.repeat(3_000_000)}${']'.repeat(3_000_000)}`;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' }, body });
    lag.disable();
    const answer = (await response.json()) as { error: { message: string } };
    console.log(`deep JSON: answered in ${Math.round(performance.now() - started)} ms, event loop held at most ${Math.round(lag.max / 1e6)} ms`);
    expect(response.status).toBe(400);
    expect(answer.error.message).toMatch(/nests deeper than 32 levels/);
    expect(lag.max / 1e6).toBeLessThan(1000);
  });
});

describe('special files', () => {
  it('refuses /dev/null as the database in one line, exit 2', () => {
    for (const args of [['status', '--db', '/dev/null'], ['import', '--db', '/dev/null', '--instrument', 'nxt-1', 'fixtures/attune']]) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toBe('attune-monitor: /dev/null: is a character device, not a database file\n');
    }
  });

  it('refuses a device given as a log file instead of reading it for ever', () => {
    const result = runCli(['runs', '/dev/zero']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('attune-monitor: /dev/zero: not a log file (a device, a pipe or a socket)\n');
  });
});
