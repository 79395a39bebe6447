import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.ts';
import { CLI } from '../support/run-cli.ts';
import { SIGNING_SECRET } from '../support/slack-harness.ts';
import { appHomeOpened, sendSigned } from '../support/slack-requests.ts';

// `attune-monitor server` as a process, with Slack settings in its environment or a .env file.

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const step of cleanups.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attune-slack-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment without any SLACK_* setting of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_')));
  return { ...env, ...extra };
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the port once the server says it listens. */
  listening: Promise<number>;
}

function startServer(dir: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [CLI, 'server', '--db', join(dir, 'store.db'), '--port', '0'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let onLine: (() => void) | null = null;
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onLine?.();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    onLine = () => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    };
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  listening.catch(() => undefined);
  return { child, output: () => output, exited, listening };
}

describe('attune-monitor server and Slack', () => {
  it('runs without Slack when nothing is configured, and says so once', async () => {
    const server = startServer(tempDir(), {});
    await server.listening;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().match(/running without Slack/g)).toHaveLength(1);
  });

  it('refuses to start with half the settings, naming what is missing (environment or .env)', async () => {
    const fromEnv = startServer(tempDir(), { SLACK_BOT_TOKEN: 'xoxb-1-2-abc' });
    expect(await fromEnv.exited).toBe(2);
    expect(fromEnv.output()).toContain(
      'attune-monitor: Slack is half configured (SLACK_BOT_TOKEN set): missing SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), SLACK_ALERT_CHANNEL.',
    );
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'SLACK_APP_TOKEN=xapp-1-A-1-abc\nSLACK_ALERT_CHANNEL=C0ALERTS\n');
    const fromFile = startServer(dir, {});
    expect(await fromFile.exited).toBe(2);
    expect(fromFile.output()).toContain('missing SLACK_BOT_TOKEN.');
  });

  it('refuses a bot token Slack refuses', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const server = startServer(tempDir(), { SLACK_BOT_TOKEN: 'xoxb-not-the-fakes', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_ALERT_CHANNEL: 'C0ALERTS', SLACK_API_URL: fake.apiUrl });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('attune-monitor: SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
  });

  it('serves /slack/events on its own port in HTTP mode, signed requests only', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `SLACK_BOT_TOKEN=${fake.botToken}\nSLACK_SIGNING_SECRET=${SIGNING_SECRET}\nSLACK_ALERT_CHANNEL=C0ALERTS\n`);
    const server = startServer(dir, { SLACK_API_URL: fake.apiUrl });
    const port = await server.listening;
    const url = `http://127.0.0.1:${port}/slack/events`;
    expect((await sendSigned(url, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'), { secret: 'ffffffffffffffffffffffffffffffff' })).status).toBe(401);
    expect((await sendSigned(url, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'))).status).toBe(200);
    await fake.waitFor((f) => f.accepted('views.publish').length === 1);
    expect(JSON.stringify(fake.accepted('views.publish')[0]!.body.view)).toContain('No instrument has reported yet.');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
  });
});
