import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/server/host-check.ts';
import { readAccessFor } from '../../src/web/read-access.ts';
import { isReadPath } from '../../src/web/web-plugin.ts';

describe('who may read the dashboard', () => {
  it('is open on a loopback address', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(readAccessFor({ host })).toEqual({ kind: 'open' });
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.20')).toBe(false);
  });

  it('refuses an address on the network without a read token, credentials or --public-read', () => {
    expect(() => readAccessFor({ host: '0.0.0.0' })).toThrow(/read token .* basic-auth credentials .* --public-read/);
    expect(readAccessFor({ host: '0.0.0.0', publicRead: true })).toEqual({ kind: 'open' });
  });

  it('protects with a token or credentials, wherever it listens', () => {
    expect(readAccessFor({ host: '0.0.0.0', readToken: 'a-long-enough-token' })).toEqual({ kind: 'protected', readToken: 'a-long-enough-token', basic: null });
    expect(readAccessFor({ host: '127.0.0.1', basicAuth: 'lab:pa:ss' })).toEqual({ kind: 'protected', readToken: null, basic: { user: 'lab', password: 'pa:ss' } });
  });

  it('refuses a short token and malformed credentials', () => {
    expect(() => readAccessFor({ host: '0.0.0.0', readToken: 'short' })).toThrow(/at least 16/);
    expect(() => readAccessFor({ host: '0.0.0.0', basicAuth: 'nopassword' })).toThrow(/user:password/);
    expect(() => readAccessFor({ host: '0.0.0.0', basicAuth: ':secret' })).toThrow(/user:password/);
  });
});

describe('the read side the server guards', () => {
  it('is the pages, their assets, data and stream, and the read API; not the agents’ endpoints, health or Slack', () => {
    const guarded = ['/', '/statechart', '/slack-preview', '/kiosk/attune-1', '/assets/dashboard.js', '/api/v1/stream', '/api/v1/web/runs', '/api/v1/instruments', '/api/v1/instruments/attune-1/runs', '/api/v1/slack/home-blocks'];
    const open = ['/api/v1/events', '/api/v1/heartbeat', '/healthz', '/slack/events', '/api/v1/openapi.json', '/statechart.js', '/api/v1/instrumentsx', '/kioskx'];
    expect(guarded.filter((path) => !isReadPath(path))).toEqual([]);
    expect(open.filter(isReadPath)).toEqual([]);
  });
});
