import { createHmac } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret, as Slack signs its requests. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/** A request to the app as Slack would send it: the body and its content type. */
export interface SlackRequestBody {
  raw: string;
  contentType: string;
}

export interface SendOptions {
  /** Seconds since the epoch for X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Override the signature (a forgery). */
  signature?: string;
  /** Sign with another secret. */
  secret?: string;
  retryNum?: number;
}

/** POSTs `body` to the app's `/slack/events`, signed as Slack signs (v0 HMAC of `v0:timestamp:body`). */
export async function sendSigned(url: string, signingSecret: string, body: SlackRequestBody, options: SendOptions = {}): Promise<Response> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': body.contentType,
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': options.signature ?? slackSignature(options.secret ?? signingSecret, timestamp, body.raw),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body: body.raw });
}

const TEAM = 'T0LAB';
const APP = 'A0ATTUNE';

export function appHomeOpened(user: string, eventId: string): SlackRequestBody {
  return json({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: APP,
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_600_000_000,
    event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1600000000.000100' },
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
}

export function urlVerification(challenge: string): SlackRequestBody {
  return json({ token: 'legacy-verification-token', challenge, type: 'url_verification' });
}

/** A press of a button on the user's home tab (interactivity: a form with one `payload` field). */
export function buttonPressed(user: string, actionId: string, value: string): SlackRequestBody {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    api_app_id: APP,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'V1' },
    trigger_id: '123.456.abc',
    team: { id: TEAM, domain: 'lab' },
    view: { id: 'V1', type: 'home', team_id: TEAM, blocks: [] },
    actions: [{ type: 'button', action_id: actionId, block_id: 'attune_instrument:0', value, text: { type: 'plain_text', text: 'Notify me when free' }, action_ts: '1600000000.1' }],
  };
  return form({ payload: JSON.stringify(payload) });
}

export function slashCommand(user: string, command: string, responseUrl: string): SlackRequestBody {
  return form({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'lab',
    channel_id: 'C0LAB',
    channel_name: 'lab',
    user_id: user,
    user_name: user.toLowerCase(),
    command,
    text: '',
    api_app_id: APP,
    response_url: responseUrl,
    trigger_id: '123.456.def',
  });
}

function json(value: unknown): SlackRequestBody {
  return { raw: JSON.stringify(value), contentType: 'application/json' };
}

function form(fields: Record<string, string>): SlackRequestBody {
  return { raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}
