import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentWithEnvFile } from '../../src/shared/env-file.ts';
import { slackSettingsFrom, SlackConfigError } from '../../src/slack/config/slack-config.ts';
import { readUserMap } from '../../src/slack/config/user-map.ts';

const BOT = 'xoxb-1-2-abc';
const APP = 'xapp-1-A1-123-abc';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'f');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'slack-config-'));
}

describe('Slack settings', () => {
  it('are off when no SLACK_* setting is given (blank values count as unset)', () => {
    expect(slackSettingsFrom({ PATH: '/bin', SLACK_API_URL: '  ' })).toEqual({ enabled: false });
  });

  it('choose Socket Mode with an app token, the default for a lab network', () => {
    const settings = slackSettingsFrom({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: '#lab-attune' });
    expect(settings).toEqual({
      enabled: true,
      notes: [],
      config: { botToken: BOT, connection: { mode: 'socket', appToken: APP }, apiUrl: null, alertChannel: 'lab-attune', userMapPath: null, freeAfterIdleMinutes: 30, publicUrl: null },
    });
  });

  it('choose HTTP with a signing secret, and take the API URL (with a trailing slash) and idle minutes', () => {
    const settings = slackSettingsFrom({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_ALERT_CHANNEL: 'C0123ABCD',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SLACK_FREE_AFTER_IDLE_MINUTES: 'off',
      ATTUNE_PUBLIC_URL: 'https://attune.lab.example/',
    });
    expect(settings.enabled && settings.config).toMatchObject({
      connection: { mode: 'http', signingSecret: SECRET },
      apiUrl: 'http://127.0.0.1:9999/api/',
      freeAfterIdleMinutes: null,
      publicUrl: 'https://attune.lab.example/',
    });
  });

  it('prefer Socket Mode when both a token and a secret are given, and say so', () => {
    const settings = slackSettingsFrom({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SECRET, SLACK_ALERT_CHANNEL: 'C1' });
    expect(settings.enabled && settings.config.connection.mode).toBe('socket');
    expect(settings.enabled && settings.notes).toEqual([expect.stringContaining('signing secret is not used')]);
  });

  it('refuse half a configuration, naming every missing setting', () => {
    const half = () => slackSettingsFrom({ SLACK_BOT_TOKEN: BOT });
    expect(half).toThrow(SlackConfigError);
    expect(half).toThrow('missing SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), SLACK_ALERT_CHANNEL');
    expect(() => slackSettingsFrom({ SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: 'C1' })).toThrow(/missing SLACK_BOT_TOKEN\./);
  });

  it('refuse a token of the wrong kind or a malformed value, naming the setting', () => {
    expect(() => slackSettingsFrom({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: 'C1' })).toThrow(/SLACK_BOT_TOKEN must be a bot token/);
    expect(() => slackSettingsFrom({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: 'C1', SLACK_API_URL: 'not a url' })).toThrow(/SLACK_API_URL/);
    expect(() => slackSettingsFrom({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_ALERT_CHANNEL: 'C1', SLACK_FREE_AFTER_IDLE_MINUTES: '2.5' })).toThrow(/SLACK_FREE_AFTER_IDLE_MINUTES must be whole minutes/);
  });
});

describe('.env file', () => {
  it('fills in what the environment does not set; the environment wins', () => {
    const path = join(tempDir(), '.env');
    writeFileSync(path, `# Slack\nSLACK_BOT_TOKEN=${BOT}\nSLACK_ALERT_CHANNEL="C0FILE"\n`);
    const env = environmentWithEnvFile({ SLACK_ALERT_CHANNEL: 'C0ENV' }, path);
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: BOT, SLACK_ALERT_CHANNEL: 'C0ENV' });
  });

  it('is optional', () => {
    expect(environmentWithEnvFile({ A: '1' }, join(tempDir(), '.env'))).toEqual({ A: '1' });
  });
});

describe('SLACK_USER_MAP', () => {
  it('maps Attune user names to Slack ids, whatever the case', () => {
    const path = join(tempDir(), 'users.json');
    writeFileSync(path, JSON.stringify({ jsmith: 'U0123ABCD', 'Lab Admin': 'W0456' }));
    const map = readUserMap(path);
    expect(map.slackUserOf('JSmith')).toBe('U0123ABCD');
    expect(map.slackUserOf('lab admin')).toBe('W0456');
    expect(map.slackUserOf('nobody')).toBeNull();
    expect(map.slackUserOf(null)).toBeNull();
  });

  it('names the file and the entry at fault', () => {
    const path = join(tempDir(), 'users.json');
    writeFileSync(path, JSON.stringify({ jsmith: 'john@example.org' }));
    expect(() => readUserMap(path)).toThrow(/users\.json.*at "jsmith".*Slack user id/);
    expect(() => readUserMap(join(tempDir(), 'missing.json'))).toThrow(/SLACK_USER_MAP .*missing\.json/);
  });
});
