import { describe, expect, it } from 'vitest';
import { AgentHealth } from '../../src/agent/agent-health.ts';
import { buildHeartbeat } from '../../src/agent/heartbeat.ts';
import { heartbeatRequestSchema } from '../../src/protocol/heartbeat-api.ts';

describe('heartbeat', () => {
  it('is a valid protocol message built from the agent snapshot', () => {
    const heartbeat = buildHeartbeat(
      { instrumentId: 'nxt-1', agentVersion: '0.1.0', hostName: 'LAB-PC-7' },
      {
        logsDir: 'C:\\Attune\\Logs',
        logsDirReadable: true,
        following: { file: 'System_2020-09-11_12-26-48.log', size: 2000, offset: 1500 },
        lastLineAt: '2020-09-11T10:30:00.000Z',
        attuneRunning: 'unknown',
        outboxDepth: 12,
        outboxBytes: 3456,
        outboxQuarantined: 0,
        lastError: null,
      },
      12.345,
      Date.UTC(2020, 8, 11, 10, 30, 1),
    );
    expect(heartbeatRequestSchema.parse(heartbeat)).toEqual(heartbeat);
    expect(heartbeat.sent_at).toBe('2020-09-11T10:30:01.000Z');
    expect(heartbeat.uptime_s).toBe(12.3);
  });
});

describe('agent health', () => {
  it('reports current problems, each area once, and says when one changes', () => {
    const health = new AgentHealth();
    expect(health.summary()).toBeNull();
    expect(health.set('server', 'ECONNREFUSED')).toBe(true);
    expect(health.set('server', 'ECONNREFUSED')).toBe(false);
    expect(health.set('logs', 'folder missing')).toBe(true);
    expect(health.summary()).toBe('logs: folder missing; server: ECONNREFUSED');
    expect(health.set('server', null)).toBe(true);
    expect(health.summary()).toBe('logs: folder missing');
  });
});
