import { z } from 'zod';

/** Every setting the Slack app reads; any one of them set means "Slack wanted". */
export const SLACK_SETTINGS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_API_URL',
  'SLACK_ALERT_CHANNEL',
  'SLACK_USER_MAP',
  'SLACK_FREE_AFTER_IDLE_MINUTES',
] as const;

export type SlackConnection =
  /** Socket Mode: the app dials out to Slack; no public URL, the default on a lab network. */
  | { mode: 'socket'; appToken: string }
  /** HTTP: Slack posts to `/slack/events` on the server's own port, signed with the secret. */
  | { mode: 'http'; signingSecret: string };

export interface SlackConfig {
  botToken: string;
  connection: SlackConnection;
  /** Web API base URL ending in `/`; null for Slack's own. */
  apiUrl: string | null;
  alertChannel: string;
  userMapPath: string | null;
  /** "Free" also after this long idle with someone still logged in; null: only when nobody is. */
  freeAfterIdleMinutes: number | null;
  /** ATTUNE_PUBLIC_URL: where people open the dashboard (an "Open dashboard" button); null: no button. */
  publicUrl: string | null;
}

export type SlackSettings = { enabled: false } | { enabled: true; config: SlackConfig; notes: string[] };

/** Slack half configured or mistyped: the server must not start (the message says what to fix). */
export class SlackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackConfigError';
  }
}

export const DEFAULT_FREE_AFTER_IDLE_MINUTES = 30;

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
const setting = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: setting(z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)')),
  SLACK_APP_TOKEN: setting(z.string().startsWith('xapp-', 'must be an app-level token (xapp-…) with connections:write')),
  SLACK_SIGNING_SECRET: setting(z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hexadecimal signing secret from the app settings')),
  SLACK_API_URL: setting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  SLACK_ALERT_CHANNEL: setting(z.string().regex(/^#?[A-Za-z0-9._-]+$/, 'must be a channel id (C0123ABCD) or name')),
  SLACK_USER_MAP: setting(z.string()),
  ATTUNE_PUBLIC_URL: setting(z.url({ protocol: /^https?$/, error: 'must be the http(s) address people open the dashboard at' })),
  SLACK_FREE_AFTER_IDLE_MINUTES: setting(
    z
      .string()
      .regex(/^(off|\d{1,4})$/, 'must be whole minutes (1 to 1440) or "off"')
      .transform((value) => (value === 'off' ? ('off' as const) : Number(value)))
      .refine((value) => value === 'off' || (value >= 1 && value <= 1440), 'must be whole minutes (1 to 1440) or "off"'),
  ),
});

/**
 * Reads the Slack settings from an environment (the process's, merged with `.env`). No SLACK_*
 * setting at all: Slack is off. Some but not all that are needed: an error naming what is
 * missing, since a server that silently drops alerts is worse than one that refuses to start.
 */
export function slackSettingsFrom(env: Record<string, string | undefined>): SlackSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new SlackConfigError(`Slack settings: ${lines.join('; ')}`);
  }
  const values = parsed.data;
  const given = SLACK_SETTINGS.filter((name) => values[name] !== undefined);
  if (given.length === 0) return { enabled: false };

  const missing: string[] = [];
  if (values.SLACK_BOT_TOKEN === undefined) missing.push('SLACK_BOT_TOKEN');
  if (values.SLACK_APP_TOKEN === undefined && values.SLACK_SIGNING_SECRET === undefined) missing.push('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)');
  if (values.SLACK_ALERT_CHANNEL === undefined) missing.push('SLACK_ALERT_CHANNEL');
  if (missing.length > 0) {
    throw new SlackConfigError(
      `Slack is half configured (${given.join(', ')} set): missing ${missing.join(', ')}. Set them, or unset every SLACK_* setting to run without Slack.`,
    );
  }

  const notes: string[] = [];
  let connection: SlackConnection;
  if (values.SLACK_APP_TOKEN !== undefined) {
    connection = { mode: 'socket', appToken: values.SLACK_APP_TOKEN };
    if (values.SLACK_SIGNING_SECRET !== undefined) notes.push('SLACK_APP_TOKEN and SLACK_SIGNING_SECRET both set: using Socket Mode, the signing secret is not used');
  } else {
    connection = { mode: 'http', signingSecret: values.SLACK_SIGNING_SECRET! };
  }
  const idle = values.SLACK_FREE_AFTER_IDLE_MINUTES;
  return {
    enabled: true,
    notes,
    config: {
      botToken: values.SLACK_BOT_TOKEN!,
      connection,
      apiUrl: values.SLACK_API_URL === undefined ? null : values.SLACK_API_URL.endsWith('/') ? values.SLACK_API_URL : `${values.SLACK_API_URL}/`,
      alertChannel: values.SLACK_ALERT_CHANNEL!.replace(/^#/, ''),
      userMapPath: values.SLACK_USER_MAP ?? null,
      freeAfterIdleMinutes: idle === 'off' ? null : (idle ?? DEFAULT_FREE_AFTER_IDLE_MINUTES),
      publicUrl: values.ATTUNE_PUBLIC_URL ?? null,
    },
  };
}
