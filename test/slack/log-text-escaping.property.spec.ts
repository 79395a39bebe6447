import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveAlert } from '../../src/live/instrument-view.ts';
import { eventsOf, logLine } from '../support/attune-log.ts';
import type { FakeSlackCall } from '../support/fake-slack.ts';
import { SIGNING_SECRET, SlackHarness } from '../support/slack-harness.ts';
import { appHomeOpened, buttonPressed, sendSigned, slashCommand } from '../support/slack-requests.ts';

// Log text is data: whatever an Attune user name, message, procedure or well says, nothing the
// app sends to Slack (blocks, views, the `text` of notifications) may carry a mention, a channel
// link or a link made of it. Checked on the calls the fake Slack Web API recorded.

/** What the app itself writes: Slack date tokens and mentions of mapped users. */
const OWN_TOKENS = [/<!date\^\d+\^\{(?:date_short_pretty\} \{)?time\}\|[0-9: UTC-]+>/g, /<@U0MAPPED>/g];
const FORBIDDEN = ['<!', '<@', '<#', '<http'];

function forbiddenIn(call: FakeSlackCall): string[] {
  let text = JSON.stringify(call.body);
  for (const token of OWN_TOKENS) text = text.replace(token, '');
  return FORBIDDEN.filter((markup) => text.includes(markup));
}

const markup = fc.constantFrom('<!channel>', '<!here>', '<!everyone>', '<@U0BOSS>', '<#C0GENERAL>', '<http://evil.example|click>', '<!subteam^S1>', '&lt;!channel&gt;', '<', '>', '&', '*', '`');
/** Any text, often with Slack markup in it. */
const logText = fc.oneof(fc.string(), fc.array(fc.oneof(markup, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')));
/** The same within one log line (the log has no line breaks inside a field). */
const lineText = logText.map((text) => text.replace(/[\r\n]/g, ' ').replaceAll(String.fromCharCode(0), ' '));

let h: SlackHarness;
beforeAll(async () => {
  h = await SlackHarness.start({ at: '2020-09-11T12:00:30.000Z', users: { mapped: 'U0MAPPED' }, idleMinutes: null });
});
afterAll(async () => {
  await h.close();
});

describe('log text in Slack', () => {
  it('never reaches a Slack call as a mention, channel link or link', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(lineText, lineText, logText, logText, logText, logText, async (name, procedure, message, alertUser, well, reason) => {
        const user = `j${name}`; // someone logged in: the instrument is busy until the logout
        run += 1;
        const id = `p-${run}`;
        const from = h.fake.calls.length;
        const log = [
          logLine('2020-09-11 12:00:00.000', 'Application started', { category: 'Application' }),
          logLine('2020-09-11 12:00:05.000', 'login', { user, category: 'Security' }),
          logLine('2020-09-11 12:00:06.000', 'Event:Starting_Rinse', { user }),
          logLine('2020-09-11 12:00:07.000', `Instrument function ${procedure} executing line 3`, { user }),
          logLine('2020-09-11 12:00:08.000', 'Data:New Bubble Detected at  185', { user, category: 'Data' }),
          logLine('2020-09-11 12:00:09.000', 'Event:Rinse_Done~0', { user }),
          logLine('2020-09-11 12:00:10.000', 'logout', { user, category: 'Security' }),
        ];
        const events = eventsOf('System_2020-09-11_12-00-00.log', log.join('\n') + '\n', { zone: 'UTC' });
        h.feed.append(id, events.slice(0, -2));
        await sendSigned(h.eventsUrl, SIGNING_SECRET, appHomeOpened('U0ALICE', `Ev${run}`));
        await sendSigned(h.eventsUrl, SIGNING_SECRET, buttonPressed('U0BOB', 'attune_notify_when_free:0', `on:${id}`));
        h.feed.append(id, events.slice(-2)); // free: the DM goes out
        const alert: LiveAlert = { id: `${id}/agent_offline`, instrumentId: id, kind: 'agent_offline', raisedAt: '2020-09-11T12:00:20.000Z', resolvedAt: null, message, procedure, well, user: alertUser };
        h.feed.setConnectivity(id, { state: 'offline', reason }, { change: 'alert_raised', alert });
        h.feed.setConnectivity(id, { state: 'online', reason: null }, { change: 'alert_resolved', alert: { ...alert, resolvedAt: '2020-09-11T12:00:25.000Z' } });
        await sendSigned(h.eventsUrl, SIGNING_SECRET, slashCommand('U0ALICE', '/attune', h.fake.responseUrl(`r${run}`)));
        await h.app.settled();
        await h.fake.waitFor((fake) => fake.calls.slice(from).some((call) => call.method === 'response_url'));

        const calls = h.fake.calls.slice(from);
        // Every kind of call that carries log text was made (and accepted) in this run.
        expect(new Set(calls.filter((call) => call.ok).map((call) => call.method))).toEqual(new Set(['views.publish', 'conversations.open', 'chat.postMessage', 'chat.update', 'response_url']));
        for (const call of calls) expect(forbiddenIn(call), `${call.method}: ${JSON.stringify(call.body).slice(0, 400)}`).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
