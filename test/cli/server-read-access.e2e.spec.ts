import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webAccess } from '../../src/cli/server-command.ts';
import { CLI, runCli } from '../support/run-cli.ts';
import { waitFor } from '../support/wait-for.ts';
import { tempDir } from '../store/store-test-kit.ts';

describe('attune-monitor server: who may read the dashboard', () => {
  it('refuses to start on a network address without a read token, credentials or --public-read, and says how', () => {
    const result = runCli(['server', '--db', join(tempDir(), 'x.db'), '--host', '0.0.0.0', '--port', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'attune-monitor: listening on 0.0.0.0 would show the dashboard to the whole network: set a read token (ATTUNE_READ_TOKEN) or basic-auth credentials (ATTUNE_BASIC_AUTH=user:password), or pass --public-read\n',
    );
    expect(webAccess({ host: '0.0.0.0', publicRead: true })).toEqual({ kind: 'open' });
    expect(() => webAccess({ host: '0.0.0.0', basicAuth: 'nocolon' })).toThrow(/user:password/);
  });

  it('asks for the read token from the environment when one is set, on the pages and the read API, and leaves the agents’ API to their tokens', async () => {
    const server = spawn(process.execPath, [CLI, 'server', '--db', join(tempDir(), 's.db'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ATTUNE_READ_TOKEN: 'wall-screen-read-token' },
    });
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the server to listen', () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(out), 30_000);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      expect((await fetch(`${url}/`)).status).toBe(401);
      expect((await fetch(`${url}/api/v1/stream`)).status).toBe(401);
      // The read API shows the same facts as the dashboard: the same guard.
      expect((await fetch(`${url}/api/v1/instruments`)).status).toBe(401);
      expect((await fetch(`${url}/api/v1/instruments`, { headers: { Authorization: 'Bearer wall-screen-read-token' } })).status).toBe(200);
      expect((await fetch(`${url}/`, { headers: { Authorization: 'Bearer wall-screen-read-token' } })).status).toBe(200);
      // The agents' endpoint answers with its own refusal (no agent token), not the dashboard's.
      const ingest = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(ingest.status).toBe(401);
      expect(ingest.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await ingest.text()).not.toContain('dashboard');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });
});
