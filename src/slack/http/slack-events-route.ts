import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { RequestReceiver } from './request-receiver.ts';
import { verifySignature } from './verify-signature.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack's payloads are small; this keeps a flood of junk from being buffered before the signature is checked. */
const MAX_BODY_BYTES = 256 * 1024;

export interface SlackEventsRouteOptions {
  signingSecret: string;
  now: () => Date;
}

/** An Events API envelope, an interactivity payload or a slash command: an object, the rest is Bolt's to read. */
const slackBody = z.record(z.string(), z.unknown());

/**
 * `POST /slack/events` for HTTP mode, on the server's own Hono app: events, interactivity and
 * slash commands all come here (set the same URL for the three in the app settings). The
 * signature is checked on the raw bytes before anything is parsed; a bad or stale one is 401.
 */
export function slackEventsRoute(receiver: RequestReceiver, options: SlackEventsRouteOptions): Hono {
  const route = new Hono();
  route.post(
    SLACK_EVENTS_PATH,
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'body too large' }, 413) }),
    async (c) => {
      const rawBody = Buffer.from(await c.req.arrayBuffer()).toString('utf8');
      const check = await verifySignature(
        { timestamp: c.req.header('x-slack-request-timestamp'), signature: c.req.header('x-slack-signature'), rawBody },
        options.signingSecret,
        options.now().getTime(),
      );
      if (!check.ok) return c.json({ error: check.reason }, 401);

      const body = parseSlackBody(rawBody, c.req.header('content-type') ?? '');
      if (body === null) return c.json({ error: 'malformed body' }, 400);
      // The one-time handshake when the Request URL is saved in the app settings.
      if (body.type === 'url_verification' && typeof body.challenge === 'string') return c.json({ challenge: body.challenge });

      const retryNum = c.req.header('x-slack-retry-num');
      const answer = await receiver.dispatch(body, { num: retryNum === undefined ? undefined : Number(retryNum), reason: c.req.header('x-slack-retry-reason') });
      const status = answer.status as ContentfulStatusCode;
      return typeof answer.body === 'string' ? c.text(answer.body, status) : c.json(answer.body, status);
    },
  );
  return route;
}

/**
 * Events come as JSON; interactivity as a form with one `payload` field of JSON; slash commands
 * as a plain form. Null when it is none of them.
 */
export function parseSlackBody(text: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.includes('application/json')) {
      const parsed = slackBody.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    }
    const form = Object.fromEntries(new URLSearchParams(text));
    if (typeof form.payload === 'string') {
      const parsed = slackBody.safeParse(JSON.parse(form.payload));
      return parsed.success ? parsed.data : null;
    }
    return Object.keys(form).length > 0 ? form : null;
  } catch {
    return null;
  }
}
