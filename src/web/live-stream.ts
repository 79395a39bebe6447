import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { SSEStreamingApi } from 'hono/streaming';
import { streamSSE } from 'hono/streaming';
import type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../live/instrument-view.ts';

/** The first message of every connection: everything a page needs to draw, before any change. */
export interface StreamSnapshot {
  instruments: InstrumentView[];
  openAlerts: LiveAlert[];
}

/** What one client of the stream may cost the server. */
export interface LiveStreamLimits {
  /** How often an idle stream sends a keep-alive comment (idle proxies close silent connections). */
  keepAliveMs: number;
  /** A write the client has not taken within this long closes its connection (a stalled reader). */
  writeTimeoutMs: number;
  /**
   * Changes waiting for one client, at most this many characters: past it they are dropped, and
   * the client gets a fresh snapshot (the latest state) as soon as it reads again.
   */
  maxPendingChars: number;
}

export const LIVE_STREAM_DEFAULTS: LiveStreamLimits = { keepAliveMs: 15_000, writeTimeoutMs: 30_000, maxPendingChars: 256 * 1024 };

/** How soon a browser reconnects after the stream broke (EventSource does it by itself). */
const RETRY_MS = 2000;

/**
 * `GET /api/v1/stream`: server-sent events. `snapshot` (a `StreamSnapshot`) first, then one
 * `change` (a `LiveChange`) per change of the feed, in order. A reconnecting page gets a fresh
 * snapshot, so nothing missed while it was away stays missed; so does a page that fell too far
 * behind (see `LiveStreamLimits`): what one client costs is bounded, whatever it does.
 */
export function liveStream(c: Context, feed: LiveFeed, limits: Partial<LiveStreamLimits> = {}): Response {
  const settings = { ...LIVE_STREAM_DEFAULTS, ...limits };
  // With @hono/node-server the Node response is at hand: closing it is what frees a stalled client's socket.
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return streamSSE(c, async (stream) => {
    const client = new ClientQueue(stream, feed, settings, () => {
      stream.abort();
      outgoing?.destroy();
    });
    // Subscribed and the snapshot taken in the same tick: no change can slip between them.
    const unsubscribe = feed.subscribe((change: LiveChange) => client.push(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
    client.start();
    const keepAlive = setInterval(() => client.keepAlive(), settings.keepAliveMs);
    try {
      await new Promise<void>((resolve) => stream.onAbort(resolve));
    } finally {
      clearInterval(keepAlive);
      unsubscribe();
    }
  });
}

/**
 * One client's outgoing messages: one write at a time, what waits meanwhile bounded, and a
 * write that does not complete in time ends the connection.
 */
class ClientQueue {
  private pending: string[] = [];
  private pendingChars = 0;
  /** The next write is a fresh snapshot (at the start, and after changes were dropped). */
  private snapshotDue = true;
  private writing = false;
  private closed = false;

  constructor(
    private readonly stream: SSEStreamingApi,
    private readonly feed: LiveFeed,
    private readonly limits: LiveStreamLimits,
    private readonly close: () => void,
  ) {}

  start(): void {
    void this.pump();
  }

  push(message: string): void {
    if (this.closed || this.snapshotDue) return;
    if (this.pendingChars + message.length > this.limits.maxPendingChars) {
      // Too far behind: what waits is replaced by the latest state, read when it is written.
      this.pending = [];
      this.pendingChars = 0;
      this.snapshotDue = true;
    } else {
      this.pending.push(message);
      this.pendingChars += message.length;
    }
    void this.pump();
  }

  keepAlive(): void {
    if (!this.writing && this.pending.length === 0) this.push(': keep-alive\n\n');
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (!this.closed) {
        let text: string;
        if (this.snapshotDue) {
          // Everything pending is in the snapshot.
          this.snapshotDue = false;
          this.pending = [];
          this.pendingChars = 0;
          const snapshot: StreamSnapshot = { instruments: this.feed.instruments(), openAlerts: this.feed.openAlerts() };
          text = `event: snapshot\ndata: ${JSON.stringify(snapshot)}\nretry: ${RETRY_MS}\n\n`;
        } else if (this.pending.length > 0) {
          text = this.pending.join('');
          this.pending = [];
          this.pendingChars = 0;
        } else {
          return;
        }
        if (!(await this.writeWithin(text))) {
          this.closed = true;
          this.pending = [];
          this.close();
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** Whether the client took the text in time (a stream already closed counts as taken: there is nothing to wait for). */
  private async writeWithin(text: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.limits.writeTimeoutMs);
    });
    try {
      return await Promise.race([this.stream.write(text).then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
