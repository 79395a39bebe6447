import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type types } from '@slack/bolt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../src/live/instrument-view.ts';
import { mountAttune, type AttuneMount, type AttuneMountOptions } from '../../src/slack/index.ts';
import { EventStore } from '../../src/store/event-store.ts';
import { eventsOf, logLine } from '../support/attune-log.ts';
import { FakeSlack } from '../support/fake-slack.ts';
import { SIGNING_SECRET, testLogger } from '../support/slack-harness.ts';
import { appHomeOpened, buttonPressed, sendSigned, slashCommand } from '../support/slack-requests.ts';
import { TestLiveFeed } from '../support/test-live-feed.ts';
import { startWebServer } from '../support/web-test-server.ts';
import { waitFor } from '../support/wait-for.ts';

// Attune mounted into a lab's own Bolt App (as a lab bot would do it): the bot keeps its own
// listeners and Home tab, Attune adds its command, buttons and alerts beside them. Slack's
// requests are signed and go through Bolt's own HTTP receiver; Slack's Web API is the fake.

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

const AT = '2020-09-11T12:00:30.000Z';
const LOG = 'System_2020-09-11_12-00-00.log';
const busy = eventsOf(
  LOG,
  [logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }), logLine('2020-09-11 12:00:05.000', 'login', { user: 'jsmith', category: 'Security' })].join('\n') + '\n',
  { zone: 'UTC' },
);

function offline(instrumentId: string, minute: number): LiveAlert {
  const raisedAt = `2020-09-11T12:00:${String(minute).padStart(2, '0')}.000Z`;
  return { id: `${instrumentId}/agent_offline:${raisedAt}`, instrumentId, kind: 'agent_offline', raisedAt, resolvedAt: null, message: 'No heartbeat for 2 min', procedure: null, well: null, user: null };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A lab's bot: its own command, button and Home tab, on Bolt's HTTP receiver. */
async function labBot(fake: FakeSlack) {
  const app = new App({ token: fake.botToken, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl: fake.apiUrl } });
  const seen: string[] = [];
  let attune: AttuneMount | null = null;
  const publishHome = async (user: string) => {
    const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '*Lab bot*: coffee machine is on' } }, ...(attune?.attuneHomeBlocks(user) ?? [])];
    await app.client.views.publish({ user_id: user, view: { type: 'home', blocks } });
  };
  app.command('/lab', async ({ ack, respond }) => {
    await ack();
    seen.push('/lab');
    await respond({ text: 'lab bot here' });
  });
  app.action('lab_button', async ({ ack }) => {
    await ack();
    seen.push('lab_button');
  });
  app.event('app_home_opened', async ({ event }) => {
    seen.push('app_home_opened');
    await publishHome(event.user);
  });
  const port = await freePort();
  await app.start({ port, host: '127.0.0.1' });
  cleanups.push(() => app.stop());
  return { app, seen, publishHome, url: `http://127.0.0.1:${port}/slack/events`, setAttune: (mount: AttuneMount) => (attune = mount) };
}

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await FakeSlack.start();
  cleanups.push(() => fake.close());
  return fake;
}

function local(): { feed: TestLiveFeed; store: EventStore } {
  const dir = mkdtempSync(join(tmpdir(), 'attune-mount-'));
  const now = () => new Date(AT);
  const store = EventStore.open(join(dir, 'store.db'), { now });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return { feed: new TestLiveFeed(store, now), store };
}

function mountOptions(fake: FakeSlack, extra: Partial<AttuneMountOptions>): Omit<AttuneMountOptions, 'live'> {
  return {
    home: 'section',
    alertChannel: 'C0ALERTS',
    command: '/instrument',
    apiUrl: fake.apiUrl,
    dashboardUrl: 'https://attune.lab.example/',
    timeZone: 'UTC',
    now: () => new Date(AT),
    tickMs: 0,
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
    alertRetryMs: 100,
    log: testLogger().log,
    ...extra,
  };
}

const primaries = (blocks: unknown) => (JSON.stringify(blocks).match(/"style":"primary"/g) ?? []).length;

describe('mountAttune into a lab bot’s Bolt App', () => {
  it('adds Attune’s command, buttons, Home section and alerts, and the bot’s own listeners keep working', async () => {
    const fake = await fakeSlack();
    const bot = await labBot(fake);
    const { feed, store } = local();
    feed.append('attune-1', busy);
    const attune = await mountAttune(bot.app, { live: { feed, db: store.connectionForOwnTables() }, ...mountOptions(fake, { onHomeChanged: (user) => bot.publishHome(user) }) });
    bot.setAttune(attune);
    cleanups.push(() => attune.stop());

    // The bot's command, and Attune's under the name the bot gave it.
    expect((await sendSigned(bot.url, SIGNING_SECRET, slashCommand('U0ALICE', '/lab', fake.responseUrl('lab')))).status).toBe(200);
    expect((await sendSigned(bot.url, SIGNING_SECRET, slashCommand('U0ALICE', '/instrument', fake.responseUrl('attune')))).status).toBe(200);
    await fake.waitFor((f) => f.accepted('response_url').length === 2);
    const answers = fake.accepted('response_url').map((call) => String(call.body.text));
    expect(answers).toEqual(expect.arrayContaining(['lab bot here', 'Attune status: 1 instrument, 0 free']));

    // The bot's Home tab, with Attune's section in it: one primary button (Open dashboard).
    await sendSigned(bot.url, SIGNING_SECRET, appHomeOpened('U0ALICE', 'Ev1'));
    await fake.waitFor((f) => f.accepted('views.publish').length === 1);
    const view = fake.accepted('views.publish')[0]!.body.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks[0])).toContain('Lab bot');
    expect(JSON.stringify(view.blocks)).toContain('Attune instruments');
    expect(JSON.stringify(view.blocks)).toContain('https://attune.lab.example/');
    expect(primaries(view.blocks)).toBe(1);

    // Attune's button: the request is kept, and the bot is asked to publish its tab again.
    await sendSigned(bot.url, SIGNING_SECRET, buttonPressed('U0ALICE', 'attune_notify_when_free:0', 'on:attune-1'));
    await fake.waitFor((f) => f.accepted('views.publish').length === 2);
    expect(JSON.stringify(fake.accepted('views.publish')[1]!.body.view)).toContain('Stop notifying me');
    // The bot's button still reaches the bot.
    expect((await sendSigned(bot.url, SIGNING_SECRET, buttonPressed('U0ALICE', 'lab_button', 'x'))).status).toBe(200);

    // Alerts go to the channel Attune was given.
    feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offline('attune-1', 20) });
    await fake.waitFor((f) => f.accepted('chat.postMessage').length === 1);
    expect(fake.accepted('chat.postMessage')[0]!.body).toMatchObject({ channel: 'C0ALERTS', text: 'Instrument PC offline on attune-1: No heartbeat for 2 min' });

    expect(bot.seen).toEqual(['/lab', 'app_home_opened', 'lab_button']);
    // Attune answered no other command: the bot's `/attune`, if it had one, would be its own.
    await attune.stop();
    expect((await sendSigned(bot.url, SIGNING_SECRET, slashCommand('U0ALICE', '/lab', fake.responseUrl('lab2')))).status).toBe(200);
    await fake.waitFor((f) => f.accepted('response_url').length === 3);
  });

  it('publishes the Home tab itself in `own` mode, under the default /attune', async () => {
    const fake = await fakeSlack();
    const app = new App({ token: fake.botToken, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl: fake.apiUrl } });
    const port = await freePort();
    await app.start({ port, host: '127.0.0.1' });
    cleanups.push(() => app.stop());
    const { feed, store } = local();
    feed.append('attune-1', busy);
    const attune = await mountAttune(app, { live: { feed, db: store.connectionForOwnTables() }, ...mountOptions(fake, { home: 'own', command: undefined, dashboardUrl: null }) });
    cleanups.push(() => attune.stop());
    const url = `http://127.0.0.1:${port}/slack/events`;
    await sendSigned(url, SIGNING_SECRET, appHomeOpened('U0BOB', 'Ev1'));
    await fake.waitFor((f) => f.accepted('views.publish').length === 1);
    expect(primaries(fake.accepted('views.publish')[0]!.body.view)).toBe(0);
    await sendSigned(url, SIGNING_SECRET, slashCommand('U0BOB', '/attune', fake.responseUrl('a')));
    await fake.waitFor((f) => f.accepted('response_url').length === 1);
  });

  it('follows a server elsewhere through its stream, with its read token, and catches up after a break', async () => {
    const fake = await fakeSlack();
    const bot = await labBot(fake);
    const { feed, store } = local();
    feed.append('attune-1', busy);
    const readToken = 'read-token-0123456789';
    const server = await startWebServer({ store, feed, access: { kind: 'protected', readToken, basic: null }, keepAliveMs: 60_000 });
    cleanups.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'attune-bot-state-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const attune = await mountAttune(bot.app, { live: { url: server.url, readToken, stateDbPath: join(dir, 'attune-slack.db') }, ...mountOptions(fake, { log: pino({ level: 'silent' }) }) });
    cleanups.push(() => attune.stop());

    expect(JSON.stringify(attune.attuneHomeBlocks('U0ALICE'))).toContain('attune-1');
    feed.setConnectivity('attune-1', { state: 'offline' }, { change: 'alert_raised', alert: offline('attune-1', 20) });
    await fake.waitFor((f) => f.accepted('chat.postMessage').length === 1);

    // The stream breaks; an alert is raised meanwhile; the fresh snapshot brings it.
    server.dropConnections();
    feed.setConnectivity('attune-2', { state: 'offline' }, { change: 'alert_raised', alert: offline('attune-2', 25) });
    await fake.waitFor((f) => f.accepted('chat.postMessage').length === 2, 15_000);
    expect(fake.accepted('chat.postMessage').map((call) => call.body.text)).toEqual([
      'Instrument PC offline on attune-1: No heartbeat for 2 min',
      'Instrument PC offline on attune-2: No heartbeat for 2 min',
    ]);
    await waitFor('attune-2 on the home section', () => JSON.stringify(attune.attuneHomeBlocks('U0ALICE')).includes('attune-2'));
  }, 30_000);

  it('is what the package exports as attune-monitor/slack, for a bot in plain JavaScript', () => {
    const script = "import { mountAttune, SlackUserMap, escapeText } from 'attune-monitor/slack'; console.log(typeof mountAttune, typeof SlackUserMap, escapeText('<!here>'))";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function function &lt;!here&gt;');
  }, 30_000);
});
