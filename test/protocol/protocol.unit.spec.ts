import { describe, expect, it } from 'vitest';
import { apiError, apiErrorSchema } from '../../src/protocol/api-errors.ts';
import { compareSourcePositions, eventsRequestSchema, eventsResponseSchema, MAX_BATCH_EVENTS, MAX_RAW_CHARS } from '../../src/protocol/events-api.ts';
import { heartbeatRequestSchema } from '../../src/protocol/heartbeat-api.ts';
import { instrumentIdSchema } from '../../src/protocol/instrument-id.ts';

const FILE = 'System_2020-09-11_12-26-48.log';
const login = { type: 'login', user: 'jsmith', at: '2020-09-11T10:26:48.728Z', source: { file: FILE, offset: 120, index: 0, line: 2 } };
const batch = (events: unknown[]) => ({ instrument_id: 'nxt-1', events });

const heartbeat = {
  instrument_id: 'nxt-1',
  agent_version: '0.1.0',
  host_name: 'LAB-PC',
  uptime_s: 12.5,
  logs_dir: 'C:\\Attune\\Logs',
  logs_dir_readable: true,
  following: { file: FILE, size: 2000, offset: 1500 },
  last_line_at: null,
  attune_running: 'unknown',
  outbox_depth: 0,
  outbox_bytes: 0,
  last_error: null,
  sent_at: '2020-09-11T10:30:01.000Z',
};

describe('POST /api/v1/events request', () => {
  it('accepts a batch of log events with their raw lines', () => {
    expect(eventsRequestSchema.parse(batch([{ event: login, raw: '2020-09-11 12:26:48.728,Info,jsmith,Security,login,4132' }])).events).toHaveLength(1);
    expect(eventsRequestSchema.safeParse(batch([{ event: { type: 'log_opened', at: login.at, source: { file: FILE, offset: 0, index: -1, line: 0 } }, raw: null }])).success).toBe(true);
  });

  it.each([
    ['an empty batch', batch([])],
    ['too many events', batch(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({ event: login, raw: null })))],
    ['a raw line over 64 KiB', batch([{ event: login, raw: 'x'.repeat(MAX_RAW_CHARS + 1) }])],
    ['an unknown event type', batch([{ event: { ...login, type: 'logon' }, raw: null }])],
    ['an event without a source', batch([{ event: { ...login, source: undefined }, raw: null }])],
    ['a local time without zone', batch([{ event: { ...login, at: '2020-09-11T12:26:48.728' }, raw: null }])],
    ['an extra field', batch([{ event: login, raw: null, extra: 1 }])],
    ['a bad instrument id', { ...batch([{ event: login, raw: null }]), instrument_id: '../etc' }],
  ])('refuses %s', (_what, body) => {
    expect(eventsRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('POST /api/v1/events response', () => {
  it('reads counts and the highest stored position, ignoring fields a newer server adds', () => {
    const answer = eventsResponseSchema.parse({ appended: 3, duplicates: 1, highest_source: { file: FILE, offset: 120, index: 0 }, took_ms: 4 });
    expect(answer).toEqual({ appended: 3, duplicates: 1, highest_source: { file: FILE, offset: 120, index: 0 } });
    expect(eventsResponseSchema.parse({ appended: 0, duplicates: 0, highest_source: null }).highest_source).toBeNull();
  });
});

describe('source order', () => {
  it('orders by file (launch), then offset, then index; log_opened first, log_ended last', () => {
    const opened = { file: FILE, offset: 0, index: -1 };
    const first = { file: FILE, offset: 0, index: 0 };
    const glued = { file: FILE, offset: 120, index: 1 };
    const ended = { file: FILE, offset: 5000, index: 0 };
    const next = { file: 'System_2020-09-12_08-00-00.log', offset: 0, index: -1 };
    const sorted = [next, ended, glued, first, opened].sort(compareSourcePositions);
    expect(sorted).toEqual([opened, first, glued, ended, next]);
  });
});

describe('POST /api/v1/heartbeat', () => {
  it('accepts what an agent reports', () => {
    expect(heartbeatRequestSchema.parse(heartbeat)).toEqual(heartbeat);
    expect(heartbeatRequestSchema.safeParse({ ...heartbeat, attune_running: true, following: null, last_error: 'logs: missing' }).success).toBe(true);
  });

  it.each([
    ['attune_running as text', { attune_running: 'yes' }],
    ['a negative outbox depth', { outbox_depth: -1 }],
    ['sent_at without zone', { sent_at: '2020-09-11T10:30:01.000' }],
    ['a missing field', { logs_dir_readable: undefined }],
  ])('refuses %s', (_what, change) => {
    expect(heartbeatRequestSchema.safeParse({ ...heartbeat, ...change }).success).toBe(false);
  });
});

describe('errors and ids', () => {
  it('has one error shape', () => {
    expect(apiErrorSchema.parse(apiError('unauthorized', 'missing token'))).toEqual({ error: { code: 'unauthorized', message: 'missing token' } });
  });

  it('keeps instrument ids safe for URLs and file names', () => {
    expect(instrumentIdSchema.safeParse('attune-nxt_1.lab2').success).toBe(true);
    for (const bad of ['', '-x', 'a/b', 'a b', 'x'.repeat(65)]) expect(instrumentIdSchema.safeParse(bad).success).toBe(false);
  });
});
