import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveAlert, LiveChange, LiveFeed } from '../../src/live/instrument-view.ts';
import { liveStream, type LiveStreamLimits } from '../../src/web/live-stream.ts';
import { waitFor } from '../support/wait-for.ts';

// A stalled client: a client that stops reading /api/v1/stream grew the server's memory without
// bound (229 → 465 MB over 4,500 changes), writes chained per client with no limit and no timeout.
// Now what waits for one client is bounded (past it: a fresh snapshot when it reads again) and a
// write it does not take in time closes its connection. Real HTTP, a real TCP client that stalls.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A feed whose changes are alerts with a long message: 4,500 of them are 90 MB of JSON. */
class LoudFeed implements LiveFeed {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private latest: LiveAlert | null = null;
  instruments() {
    return [];
  }
  instrument() {
    return null;
  }
  openAlerts() {
    return this.latest === null ? [] : [this.latest];
  }
  subscribe(listener: (change: LiveChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get clients() {
    return this.listeners.size;
  }
  emit(n: number, messageChars = 20_000): void {
    const alert: LiveAlert = { id: `a${n}`, instrumentId: 'nxt-1', kind: 'bubble', raisedAt: '2020-09-11T10:00:00.000Z', resolvedAt: null, message: `${n} ${randomBytes(messageChars / 2).toString('hex')}`, procedure: null, well: null, user: null };
    this.latest = alert;
    for (const listener of this.listeners) listener({ type: 'alert_raised', alert, historic: false });
  }
}

function memoryBytes(): number {
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Connects, asks for the stream, and reads nothing more: the socket's reading is paused. */
async function stalledClient(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  socket.pause();
  socket.on('error', () => {});
  return socket;
}

describe('a client that stops reading the live stream', () => {
  let feed: LoudFeed;
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  async function listen(limits: Partial<LiveStreamLimits>): Promise<void> {
    const app = new Hono();
    app.get('/api/v1/stream', (c) => liveStream(c, feed, limits));
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  }

  beforeEach(() => {
    feed = new LoudFeed();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('costs the server a bounded amount of memory over 4,500 changes of 20 KB', async () => {
    await listen({ writeTimeoutMs: 120_000 });
    const stalled = await stalledClient(port);
    sockets.push(stalled);
    await waitFor('the client subscribed', () => feed.clients === 1);
    const before = memoryBytes();
    const samples: number[] = [];
    for (let i = 0; i < 4500; i++) {
      feed.emit(i);
      if (i % 100 === 99) {
        await sleep(1);
        if (i % 900 === 899) samples.push(memoryBytes() - before);
      }
    }
    const grown = memoryBytes() - before;
    console.log(`stalled client: memory grew ${(grown / 1e6).toFixed(1)} MB over 4,500 changes (samples ${samples.map((s) => (s / 1e6).toFixed(1)).join(', ')} MB)`);
    // 4,500 changes are 90 MB of JSON: a few MB at most stay (socket buffers, one snapshot, the bound).
    expect(grown).toBeLessThan(16e6);
    expect(stalled.destroyed).toBe(false);
  });

  it('closes the connection of a client that does not take a write in time', async () => {
    await listen({ writeTimeoutMs: 300 });
    const stalled = await stalledClient(port);
    sockets.push(stalled);
    await waitFor('the client subscribed', () => feed.clients === 1);
    // The kernel's socket buffers take a few MB first: changes go on until the writes stall.
    const deadline = Date.now() + 20_000;
    for (let i = 0; feed.clients > 0 && Date.now() < deadline; i++) {
      feed.emit(i);
      if (i % 50 === 49) await sleep(5);
    }
    await waitFor('the subscription dropped', () => feed.clients === 0);
    // The server's end of the connection is gone (the paused client would only notice on reading).
    await waitFor('no connection left on the server', () => new Promise<boolean>((resolve) => server.getConnections((_, count) => resolve(count === 0))));
  });

  it('gives a client that reads every change, in order, after the snapshot', async () => {
    await listen({});
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/stream`);
    const reader = response.body!.getReader();
    await waitFor('the client subscribed', () => feed.clients === 1);
    for (let i = 0; i < 20; i++) feed.emit(i, 100);
    let text = '';
    const decoder = new TextDecoder();
    while ((text.match(/event: change/g) ?? []).length < 20) text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    expect(text.startsWith('event: snapshot\n')).toBe(true);
    const ids = [...text.matchAll(/"id":"a(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
