import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../support/server-process.ts';
import { waitFor } from '../support/wait-for.ts';

// Every command reads `.env` from its working folder, the environment winning over it: here the
// server, which refuses to listen on the network without a read token.

const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill('SIGKILL');
});

async function serverIn(cwd: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = new ServerProcess(['--db', join(cwd, 'monitor.db'), '--host', '0.0.0.0', '--port', '0'], { cwd, env });
  servers.push(server);
  await waitFor('the server to listen or stop', () => server.url !== null || !server.running, 30_000);
  return server;
}

const status = async (server: ServerProcess, token: string) =>
  (await fetch(`http://127.0.0.1:${server.port}/api/v1/instruments`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('.env', () => {
  it('gives the server its read token, so it starts on 0.0.0.0; the environment wins over the file', async () => {
    const withEnvFile = mkdtempSync(join(tmpdir(), 'attune-env-'));
    writeFileSync(join(withEnvFile, '.env'), '# read access for the lab network\nATTUNE_READ_TOKEN=read-token-from-the-env-file\n');
    const server = await serverIn(withEnvFile);
    expect(server.url, server.tail()).not.toBeNull();
    expect(await status(server, 'read-token-from-the-env-file')).toBe(200);
    expect(await status(server, 'wrong-token-of-sixteen-chars')).toBe(401);

    const overridden = await serverIn(withEnvFile, { ATTUNE_READ_TOKEN: 'read-token-from-the-environment' });
    expect(await status(overridden, 'read-token-from-the-environment')).toBe(200);
    expect(await status(overridden, 'read-token-from-the-env-file')).toBe(401);

    const without = await serverIn(mkdtempSync(join(tmpdir(), 'attune-env-')));
    expect((await without.exited).code).toBe(2);
    expect(without.tail()).toContain('set a read token (ATTUNE_READ_TOKEN)');
  });
});
