import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_DEFAULTS } from '../../src/agent/agent-config.ts';
import { AgentSettingsError, envName, resolveAgentSettings, SETTING_KEYS, type ResolveOptions, type SettingSources } from '../../src/agent/cli/agent-settings.ts';
import { parseConfigText } from '../../src/agent/cli/config-file.ts';
import { zoneOffsets } from '../../src/agent/zone-offsets.ts';

// The agent's settings: a flag beats ATTUNE_AGENT_*, which beats the config file; every refusal is
// one line naming the setting as the user wrote it.

const linux: ResolveOptions = { path: posix, cwd: '/home/lab', platform: 'linux', readText: () => 'from-file\n' };
const windows: ResolveOptions = { path: win32, cwd: 'C:\\Users\\it', platform: 'win32', readText: () => 'from-file\r\n' };
const complete = { logs: '/data/logs', server: 'http://monitor.lab:8787', instrument: 'nxt-1', token: 'secret', timezone: 'Europe/Berlin' };
/** The file's values; a key set to undefined is left out (not in the file). */
const file = (values: Record<string, unknown>, path = '/etc/attune/agent.toml') => ({ path, values: Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) });
const resolve = (sources: Partial<SettingSources>, options = linux) => resolveAgentSettings({ flags: {}, env: {}, ...sources }, options);
const refusal = (sources: Partial<SettingSources>, options = linux): string => {
  try {
    resolve(sources, options);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentSettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('agent settings', () => {
  it('takes a flag over the environment over the file, setting by setting', () => {
    const config = resolve({
      file: file({ ...complete, server: 'http://file:1', instrument: 'from-file', poll_ms: 100 }),
      env: { ATTUNE_AGENT_SERVER: 'http://env:2', ATTUNE_AGENT_POLL_MS: '50' },
      flags: { server: 'http://flag:3' },
    });
    expect(config).toMatchObject({ serverUrl: 'http://flag:3', instrumentId: 'from-file', pollMs: 50, timeZone: 'Europe/Berlin', token: 'secret' });
    expect(resolve({ file: file({ ...complete, server: 'http://file:1' }), env: { ATTUNE_AGENT_SERVER: 'http://env:2' } }).serverUrl).toBe('http://env:2');
    // An empty variable is as good as unset (a service manager's blank field).
    expect(resolve({ file: file(complete), env: { ATTUNE_AGENT_SERVER: '' } }).serverUrl).toBe(complete.server);
  });

  it('fills the defaults and converts units', () => {
    const config = resolve({ file: file({ ...complete, heartbeat_s: 2.5, outbox_max_mb: 1 }) });
    expect(config).toMatchObject({ pollMs: AGENT_DEFAULTS.pollMs, heartbeatMs: 2500, outboxMaxBytes: 1024 * 1024, attuneProcess: AGENT_DEFAULTS.attuneProcess, stateDir: '/home/lab/data/agent-state' });
  });

  it('reads paths in the file from its folder and flags from the working folder', () => {
    expect(resolve({ file: file({ ...complete, logs: 'logs', state_dir: '../state' }) })).toMatchObject({ logsDir: '/etc/attune/logs', stateDir: '/etc/state' });
    expect(resolve({ file: file(complete), flags: { logs: 'here' } }).logsDir).toBe('/home/lab/here');
  });

  it('handles drive letters, UNC shares and relative paths the Windows way', () => {
    const tomlFile = file({ ...complete, logs: 'D:\\AttuneLogs', token: undefined, token_file: 'token.txt' }, 'C:\\Program Files\\attune-agent\\agent.toml');
    const config = resolve({ file: tomlFile }, windows);
    expect(config).toMatchObject({ logsDir: 'D:\\AttuneLogs', token: 'from-file', stateDir: 'C:\\ProgramData\\attune-monitor\\agent' });
    expect(resolve({ file: tomlFile, flags: { logs: '\\\\server\\share\\logs' } }, windows).logsDir).toBe('\\\\server\\share\\logs');
    expect(resolve({ file: tomlFile, flags: { logs: 'logs' } }, windows).logsDir).toBe('C:\\Users\\it\\logs');
    expect(resolve({ file: tomlFile, env: { PROGRAMDATA: 'E:\\Data' } }, windows).stateDir).toBe('E:\\Data\\attune-monitor\\agent');
    const paths: string[] = [];
    resolve({ file: tomlFile }, { ...windows, readText: (path) => (paths.push(path), 'x') });
    expect(paths).toEqual(['C:\\Program Files\\attune-agent\\token.txt']);
  });

  it('takes the token from a file, the stronger source deciding between token and token_file', () => {
    const { token: _token, ...noToken } = complete;
    expect(resolve({ file: file({ ...noToken, token_file: 'token.txt' }) }).token).toBe('from-file');
    expect(resolve({ file: file({ ...noToken, token_file: 'token.txt' }), env: { ATTUNE_AGENT_TOKEN: 'env-token' } }).token).toBe('env-token');
    expect(resolve({ file: file(complete), flags: { token_file: '/run/secret' } }).token).toBe('from-file');
  });

  it.each([
    ['a missing required setting', { file: file({ ...complete, server: undefined }) }, 'server is required: give --server, ATTUNE_AGENT_SERVER or "server" in the config file'],
    ['no token at all', { file: file({ ...complete, token: undefined }) }, 'token is required'],
    ['token and token_file in one place', { file: file({ ...complete, token_file: 'token.txt' }) }, '/etc/attune/agent.toml: token and /etc/attune/agent.toml: token_file are both given: keep one'],
    ['an unknown key (a typo)', { file: file({ ...complete, sever: 'x' }) }, '/etc/attune/agent.toml: unknown key "sever" (known keys: logs, server,'],
    ['a number given as text that is none', { file: file({ ...complete, poll_ms: 'fast' }) }, '/etc/attune/agent.toml: poll_ms must be a number'],
    ['a number out of range', { file: file(complete), env: { ATTUNE_AGENT_POLL_MS: '1000' } }, 'ATTUNE_AGENT_POLL_MS must be at most 250'],
    ['a fraction of a millisecond', { file: file(complete), flags: { poll_ms: '12.5' } }, '--poll-ms must be a whole number'],
    ['a heartbeat too often', { file: file({ ...complete, heartbeat_s: 0 }) }, 'heartbeat_s must be at least 0.1'],
    ['a server that is no URL', { file: file(complete), flags: { server: 'monitor.lab:8787' } }, '--server must be an http:// or https:// URL'],
    ['a bad instrument id', { file: file({ ...complete, instrument: 'nxt 1' }) }, '/etc/attune/agent.toml: instrument an instrument id is'],
    ['a path that is no text', { file: file({ ...complete, logs: 5 }) }, '/etc/attune/agent.toml: logs must be text'],
    ['an unknown time zone', { file: file(complete), flags: { timezone: 'Mars/Olympus' } }, '--timezone: unknown time zone "Mars/Olympus"'],
    ['an empty token file', { file: file({ ...complete, token: undefined, token_file: 't' }) }, 'token_file: /etc/attune/t is empty'],
  ])('refuses %s', (_what, sources, message) => {
    expect(refusal(sources, { ...linux, readText: () => ' \n' })).toContain(message);
  });

  it("refuses an unknown time zone with the running agent's own check as well (no Intl)", () => {
    expect(refusal({ file: file({ ...complete, timezone: 'Mars/Olympus' }) }, { ...linux, checkTimeZone: (zone) => void zoneOffsets(zone) })).toContain(
      '/etc/attune/agent.toml: timezone: unknown time zone "Mars/Olympus"',
    );
  });

  it("leaves the zone unset when none is given: the process runs in this machine's", () => {
    expect(resolve({ file: file({ ...complete, timezone: undefined }) }).timeZone).toBeUndefined();
  });

  it('says which token file it cannot read', () => {
    const missing = () => {
      throw Object.assign(new Error('no'), { code: 'ENOENT' });
    };
    expect(refusal({ file: file({ ...complete, token: undefined, token_file: 'nope.txt' }) }, { ...linux, readText: missing })).toBe(
      '/etc/attune/agent.toml: token_file: cannot read /etc/attune/nope.txt (ENOENT)',
    );
  });
});

describe('the config file', () => {
  it('refuses bad TOML in one line naming the line, with a hint for Windows paths', () => {
    expect(() => parseConfigText('agent.toml', 'server = "http://x"\nlogs = "D:\\AttuneLogs"\n')).toThrow(
      "agent.toml line 2: unrecognised escape sequence (Windows paths go in single quotes, which keep backslashes as they are: logs = 'D:\\AttuneLogs')",
    );
    expect(() => parseConfigText('agent.toml', 'server = \n')).toThrow(/^agent\.toml line 1: [^\n]+$/);
  });

  it('ships an example with every key, which is valid as it stands', () => {
    const text = readFileSync(new URL('../../build/agent/package/agent.toml', import.meta.url), 'utf8');
    for (const key of SETTING_KEYS) expect(text, key).toMatch(new RegExp(`^#? ?${key} = `, 'm'));
    const values = parseConfigText('agent.toml', text);
    const config = resolve({ file: file(values, 'C:\\attune-agent\\agent.toml') }, windows);
    expect(config).toMatchObject({ logsDir: 'D:\\AttuneLogs', instrumentId: 'attune-1', token: 'from-file' });
    // Every commented key is valid too, once uncommented (token and token_file are either-or).
    const all = parseConfigText('agent.toml', text.replace(/^# ([a-z_]+ = )/gm, '$1').replace(/^token_file = .*$/m, ''));
    expect(Object.keys(all).sort()).toEqual(SETTING_KEYS.filter((k) => k !== 'token_file').sort());
    expect(() => resolve({ file: file(all, 'C:\\attune-agent\\agent.toml') }, windows)).not.toThrow();
    expect(SETTING_KEYS.map(envName)).toContain('ATTUNE_AGENT_STATE_DIR');
  });
});
