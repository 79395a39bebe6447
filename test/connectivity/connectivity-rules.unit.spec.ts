import { describe, expect, it } from 'vitest';
import { evaluateConnectivity, type ConnectivityFacts, type HeartbeatFacts } from '../../src/connectivity/connectivity-rules.ts';
import { SERVER_DEFAULTS } from '../../src/server/server-config.ts';

// Defaults: heartbeat every 10 s, late after 15 s, offline after 10 + 30 s, silent after 5 min,
// agent_error after 90 s of reported problems.

const T0 = Date.parse('2024-05-06T10:00:00.000Z');
const s = (seconds: number) => T0 + seconds * 1000;

const beat = (receivedAt: number, extra: Partial<HeartbeatFacts> = {}): HeartbeatFacts => ({
  receivedAt,
  logsDirReadable: true,
  attuneRunning: 'unknown',
  lastError: null,
  lastErrorSince: null,
  ...extra,
});

const running = { run: { procedure: 'Calibration', waitingForUser: null } } as unknown as ConnectivityFacts['status'];
const waiting = { run: { procedure: 'Acquisition', waitingForUser: { action: 'raise the lifter', since: '' } } } as unknown as ConnectivityFacts['status'];

function at(now: number, facts: Partial<ConnectivityFacts>) {
  return evaluateConnectivity({ heartbeat: null, lastLogAt: null, status: null, serverStartedAt: s(-3600), now, previous: null, ...facts }, SERVER_DEFAULTS);
}

describe('connectivity from heartbeats', () => {
  it('is unknown until an agent ever reported', () => {
    expect(at(s(0), {})).toEqual({ state: 'unknown', reason: "no heartbeat yet from this instrument's agent" });
  });

  it('is online while heartbeats come, late once one is overdue, offline after the grace period', () => {
    const heartbeat = beat(s(0));
    expect(at(s(10), { heartbeat }).state).toBe('online');
    expect(at(s(15), { heartbeat }).state).toBe('online');
    expect(at(s(16), { heartbeat })).toEqual({ state: 'late', reason: 'the heartbeat is overdue' });
    expect(at(s(40), { heartbeat }).state).toBe('late');
    expect(at(s(41), { heartbeat })).toEqual({ state: 'offline', reason: 'no heartbeat for more than 40 s: the PC is off or the agent is not running' });
  });

  it('after the server starts, declares nobody offline before a full grace period has passed', () => {
    const serverStartedAt = s(0);
    const heartbeat = beat(s(-600));
    expect(at(s(1), { heartbeat, serverStartedAt, previous: 'online' })).toEqual({ state: 'late', reason: 'the server restarted: waiting for the agent to report' });
    expect(at(s(40), { heartbeat, serverStartedAt, previous: 'late' }).state).toBe('late');
    expect(at(s(41), { heartbeat, serverStartedAt, previous: 'late' }).state).toBe('offline');
    // A server back within seconds: the last heartbeat is still fresh.
    expect(at(s(1), { heartbeat: beat(s(-3)), serverStartedAt, previous: 'online' }).state).toBe('online');
    // An agent that reports in time is online again.
    expect(at(s(5), { heartbeat: beat(s(4)), serverStartedAt, previous: 'late' }).state).toBe('online');
  });

  it('keeps an instrument that was offline before the restart offline (no flapping through late)', () => {
    expect(at(s(1), { heartbeat: beat(s(-600)), serverStartedAt: s(0), previous: 'offline' }).state).toBe('offline');
  });
});

describe('connectivity from what the agent reports', () => {
  it('is agent_error at once when the logs folder cannot be read', () => {
    const heartbeat = beat(s(0), { logsDirReadable: false, lastError: 'logs: cannot read the logs folder D:\\Logs: no such file or folder' });
    expect(at(s(1), { heartbeat })).toEqual({ state: 'agent_error', reason: 'the agent cannot read the logs folder (logs: cannot read the logs folder D:\\Logs: no such file or folder)' });
  });

  it('is agent_error when a reported problem lasts, not when it heals by itself', () => {
    const since = s(0);
    expect(at(s(30), { heartbeat: beat(s(30), { lastError: 'server: cannot deliver events: connection refused', lastErrorSince: since }) }).state).toBe('online');
    expect(at(s(95), { heartbeat: beat(s(90), { lastError: 'state: cannot save checkpoints: EACCES', lastErrorSince: since }) })).toEqual({
      state: 'agent_error',
      reason: 'the agent reports a problem: state: cannot save checkpoints: EACCES',
    });
  });

  it('is software_silent when the agent sees no Attune software process', () => {
    expect(at(s(1), { heartbeat: beat(s(0), { attuneRunning: false }) }).state).toBe('software_silent');
    expect(at(s(1), { heartbeat: beat(s(0), { attuneRunning: true }) }).state).toBe('online');
  });

  it('is software_silent when the log is silent during a run, not while the run waits for the user', () => {
    const heartbeat = beat(s(600));
    expect(at(s(601), { heartbeat, status: running, lastLogAt: s(350) }).state).toBe('online');
    expect(at(s(601), { heartbeat, status: running, lastLogAt: s(300) })).toEqual({
      state: 'software_silent',
      reason: 'the log has been silent for more than 5 min while Calibration runs',
    });
    expect(at(s(601), { heartbeat, status: waiting, lastLogAt: s(0) }).state).toBe('online');
    expect(at(s(601), { heartbeat, status: { run: null }, lastLogAt: s(0) }).state).toBe('online');
    // The silence is counted from the server's start at the earliest: the agent may be catching up.
    expect(at(s(601), { heartbeat, status: running, lastLogAt: s(0), serverStartedAt: s(400) }).state).toBe('online');
  });

  it('says offline before anything the last heartbeat said', () => {
    expect(at(s(100), { heartbeat: beat(s(0), { logsDirReadable: false, attuneRunning: false }) }).state).toBe('offline');
  });
});
