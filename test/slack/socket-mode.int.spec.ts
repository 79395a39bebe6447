import { SocketModeReceiver } from '@slack/bolt';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { slackSettingsFrom } from '../../src/slack/config/slack-config.ts';
import { loadBolt } from '../../src/slack/bolt.ts';
import { receiverOf, slackConnection } from '../../src/slack/slack-connection.ts';
import { eventsOf, logLine } from '../support/attune-log.ts';
import { SlackHarness } from '../support/slack-harness.ts';
import { appHomeOpened, slashCommand } from '../support/slack-requests.ts';

let harness: SlackHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const LOG = 'System_2020-09-11_12-00-00.log';
const running = eventsOf(
  LOG,
  [
    logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }),
    logLine('2020-09-11 12:00:05.000', 'login', { user: 'jsmith', category: 'Security' }),
    logLine('2020-09-11 12:00:10.000', 'Event:Starting_Rinse', { user: 'jsmith' }),
  ].join('\n') + '\n',
  { zone: 'UTC' },
);

/** The Events API body of a request as the Socket Mode payload. */
function payloadOf(body: { raw: string; contentType: string }): Record<string, unknown> {
  return body.contentType === 'application/json' ? (JSON.parse(body.raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body.raw));
}

describe('Socket Mode', () => {
  it('is chosen by SLACK_APP_TOKEN: Bolt’s SocketModeReceiver, its client pointed at SLACK_API_URL, no HTTP route (no network)', async () => {
    const settings = slackSettingsFrom({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-abc', SLACK_ALERT_CHANNEL: 'C1', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    if (!settings.enabled) throw new Error('expected Slack on');
    const log = pino({ level: 'silent' });
    const connection = slackConnection(settings.config, log);
    expect(connection.routes).toBeNull();
    const receiver = receiverOf(await loadBolt(), connection, settings.config, log);
    expect(receiver).toBeInstanceOf(SocketModeReceiver);
    const client = (receiver as SocketModeReceiver).client as unknown as { webClient: { slackApiUrl: string } };
    expect(client.webClient.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('connects through apps.connections.open, acks each envelope, and drops an event Slack re-sends', async () => {
    const h = (harness = await SlackHarness.start({ mode: 'socket', at: '2020-09-11T12:01:00.000Z' }));
    const socket = h.fake.socketMode;
    await socket.waitFor(() => socket.connections === 1);
    expect(h.fake.accepted('apps.connections.open').map((call) => call.token)).toEqual([h.fake.appToken]);
    expect(h.app.routes).toBeNull();
    h.feed.append('attune-1', running);

    const first = socket.send('events_api', payloadOf(appHomeOpened('U0ALICE', 'Ev1')));
    await socket.waitFor(() => socket.acks.some((ack) => ack.envelope_id === first));
    await h.fake.waitFor((fake) => fake.accepted('views.publish').length === 1);
    h.clock.advance(3 * 60_000);
    const retry = socket.send('events_api', payloadOf(appHomeOpened('U0ALICE', 'Ev1')), 1);
    await socket.waitFor(() => socket.acks.some((ack) => ack.envelope_id === retry));
    await h.app.settled();
    expect(h.fake.accepted('views.publish').map((call) => call.body.user_id)).toEqual(['U0ALICE']);

    const command = socket.send('slash_commands', payloadOf(slashCommand('U0ALICE', '/attune', h.fake.responseUrl('c1'))));
    await socket.waitFor(() => socket.acks.some((ack) => ack.envelope_id === command));
    await h.fake.waitFor((fake) => fake.accepted('response_url').length === 1);
    expect(h.fake.accepted('response_url')[0]!.body.text).toBe('Attune status: 1 instrument, 0 free');
    expect(h.fake.calls.filter((call) => call.method === 'auth.test')).toHaveLength(1);
  });

  it('says plainly when the app token is refused, and still posts alerts through the Web API', async () => {
    const h = (harness = await SlackHarness.start({ mode: 'socket', appToken: 'xapp-1-A0ATTUNE-1-revoked', at: '2020-09-11T12:10:00.000Z' }));
    await vi.waitFor(() => expect(h.logLines().map((line) => line.msg)).toContain('Slack: SLACK_APP_TOKEN was refused (invalid_auth); the home tab, buttons and /attune will not respond until it is fixed'));
    expect(h.fake.calls.filter((call) => call.method === 'apps.connections.open')).toHaveLength(1);
    h.feed.setConnectivity(
      'attune-1',
      { state: 'offline' },
      { change: 'alert_raised', alert: { id: 'attune-1/agent_offline:1', instrumentId: 'attune-1', kind: 'agent_offline', raisedAt: '2020-09-11T12:10:00.000Z', resolvedAt: null, message: 'No heartbeat for 2 min', procedure: null, well: null, user: null } },
    );
    await h.app.settled();
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });
});
