import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../src/agent/agent-config.ts';
import { agentConfigFromOptions } from '../../src/cli/agent-command.ts';
import { CliError } from '../../src/cli/cli-errors.ts';

// What commander hands over: strings as typed, defaults filled in.
const given = {
  logs: 'logs',
  server: 'http://monitor.lab:8787',
  instrument: 'nxt-1',
  token: 'secret',
  timezone: 'Europe/Berlin',
  pollMs: '250',
  heartbeatS: '10',
  outboxMaxMb: '256',
  attuneProcess: 'attune',
};

describe('agent command options', () => {
  it('turns the command line into the agent configuration', () => {
    const config = agentConfigFromOptions({ ...given, stateDir: 'state', heartbeatS: '2.5' }, {});
    expect(config).toMatchObject({ instrumentId: 'nxt-1', serverUrl: 'http://monitor.lab:8787', pollMs: 250, heartbeatMs: 2500, outboxMaxBytes: 256 * 1024 * 1024 });
    expect(config.logsDir).toMatch(/\/logs$/);
    expect(config.stateDir).toMatch(/\/state$/);
    expect(agentConfigFromOptions(given, {}).stateDir).toBe(defaultStateDir());
  });

  it.each([
    [{ server: 'monitor.lab:8787' }, '--server must be an http:// or https:// URL'],
    [{ server: 'ftp://monitor.lab' }, '--server must be an http:// or https:// URL'],
    [{ instrument: 'nxt 1' }, 'an instrument id is'],
    [{ token: undefined }, 'token is required: give --token, ATTUNE_AGENT_TOKEN'],
    [{ pollMs: '1000' }, '--poll-ms must be at most 250'],
    [{ pollMs: 'fast' }, '--poll-ms must be a number'],
    [{ heartbeatS: '0' }, '--heartbeat-s must be at least 0.1'],
    [{ timezone: 'Mars/Olympus' }, 'unknown time zone "Mars/Olympus"'],
  ])('refuses %o with a clear message', (change, message) => {
    const attempt = () => agentConfigFromOptions({ ...given, ...change }, {});
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(message);
  });

  it('keeps its state under ProgramData on Windows, where a service has no useful working folder', () => {
    expect(defaultStateDir('win32', { PROGRAMDATA: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\attune-monitor\\agent');
    expect(defaultStateDir('linux', {})).toMatch(/data\/agent-state$/);
  });
});
