import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.ts';
import { createToken, sendHeartbeat, ServerProcess, type ServerProcessOptions } from '../support/server-process.ts';
import { SIGNING_SECRET } from '../support/slack-harness.ts';
import { appHomeOpened, sendSigned } from '../support/slack-requests.ts';

// `attune-monitor server` as a process, with Slack settings in its environment or a .env file.

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attune-slack-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A server that is expected to refuse to start: its exit code and output. */
async function refused(options: ServerProcessOptions & { cwd: string }): Promise<{ code: number | null; output: string }> {
  const server = new ServerProcess(['--db', join(options.cwd, 'store.db'), '--host', '127.0.0.1', '--port', '0'], options);
  cleanups.push(() => server.kill('SIGKILL'));
  const { code } = await server.exited;
  return { code, output: server.output.join('') };
}

async function started(options: ServerProcessOptions & { cwd: string }): Promise<ServerProcess> {
  const server = await ServerProcess.start(join(options.cwd, 'store.db'), 0, [], options);
  cleanups.push(() => server.kill('SIGKILL'));
  return server;
}

describe('attune-monitor server and Slack', () => {
  it('runs without Slack when nothing is configured, and says so once', async () => {
    const server = await started({ cwd: tempDir() });
    expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.output.join('').match(/running without Slack/g)).toHaveLength(1);
  });

  it('refuses to start with half the settings, naming what is missing (environment or .env)', async () => {
    const fromEnv = await refused({ cwd: tempDir(), env: { SLACK_BOT_TOKEN: 'xoxb-1-2-abc' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.output).toContain(
      'attune-monitor: Slack is half configured (SLACK_BOT_TOKEN set): missing SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), SLACK_ALERT_CHANNEL.',
    );
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'SLACK_APP_TOKEN=xapp-1-A-1-abc\nSLACK_ALERT_CHANNEL=C0ALERTS\n');
    const fromFile = await refused({ cwd: dir });
    expect(fromFile.code).toBe(2);
    expect(fromFile.output).toContain('missing SLACK_BOT_TOKEN.');
  });

  it('refuses a bot token Slack refuses', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const server = await refused({ cwd: tempDir(), env: { SLACK_BOT_TOKEN: 'xoxb-not-the-fakes', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_ALERT_CHANNEL: 'C0ALERTS', SLACK_API_URL: fake.apiUrl } });
    expect(server.code).toBe(2);
    expect(server.output).toContain('attune-monitor: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
  });

  it('serves /slack/events on its own port in HTTP mode, signed requests only', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `SLACK_BOT_TOKEN=${fake.botToken}\nSLACK_SIGNING_SECRET=${SIGNING_SECRET}\nSLACK_ALERT_CHANNEL=C0ALERTS\n`);
    const server = await started({ cwd: dir, env: { SLACK_API_URL: fake.apiUrl } });
    const url = `${server.url!}/slack/events`;
    expect((await sendSigned(url, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'), { secret: 'ffffffffffffffffffffffffffffffff' })).status).toBe(401);
    expect((await sendSigned(url, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'))).status).toBe(200);
    await fake.waitFor((f) => f.accepted('views.publish').length === 1);
    expect(JSON.stringify(fake.accepted('views.publish')[0]!.body.view)).toContain('No instrument has reported yet.');
    expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops within 10 s on ${signal} while Slack does not answer a call in flight`, async () => {
      const fake = await FakeSlack.start();
      cleanups.push(() => fake.close());
      const server = await started({ cwd: tempDir(), env: { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_ALERT_CHANNEL: 'C0ALERTS', SLACK_API_URL: fake.apiUrl } });
      await fake.goDown('hang');
      expect((await sendSigned(`${server.url!}/slack/events`, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'))).status).toBe(200);
      await fake.waitFor((f) => f.missed.includes('views.publish'));
      const stopAt = Date.now();
      expect(await server.kill(signal)).toEqual({ code: 0, signal: null });
      expect(Date.now() - stopAt).toBeLessThan(10_000);
      expect(server.output.join('')).toContain('"msg":"stopped"');
    }, 30_000);
  }

  it('keeps an alert raised while Slack hangs queued across the stop, and posts it once at the next start', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const dir = tempDir();
    const db = join(dir, 'store.db');
    const agentToken = createToken(db, 'nxt-1');
    const env = { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_ALERT_CHANNEL: 'C0ALERTS', SLACK_API_URL: fake.apiUrl };
    const flags = ['--heartbeat-interval-s', '1', '--grace-s', '0'];
    const first = await ServerProcess.start(db, 0, flags, { cwd: dir, env });
    cleanups.push(() => first.kill('SIGKILL'));
    await fake.goDown('hang');
    expect((await sendHeartbeat(first.url!, agentToken, 'nxt-1')).status).toBe(200);
    // No heartbeat after it: the PC is offline, an alert the server cannot get through to Slack.
    await fake.waitFor((f) => f.missed.includes('chat.postMessage'), 20_000);
    const stopAt = Date.now();
    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    const store = new Database(db, { readonly: true });
    const queued = store.prepare('SELECT alert_id FROM slack_alert_outbox').pluck().all() as string[];
    store.close();
    expect(queued).toEqual([expect.stringMatching(/^nxt-1\/agent_offline/)]);

    await fake.comeBack();
    const second = await ServerProcess.start(db, 0, flags, { cwd: dir, env });
    cleanups.push(() => second.kill('SIGKILL'));
    await fake.waitFor((f) => f.accepted('chat.postMessage').length === 1, 30_000);
    expect(String(fake.accepted('chat.postMessage')[0]!.body.text)).toMatch(/^(Resolved: )?Instrument PC offline on nxt-1: /);
    expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fake.accepted('chat.postMessage')).toHaveLength(1);
  }, 90_000);
});
