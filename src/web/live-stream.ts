import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../live/instrument-view.ts';

/** The first message of every connection: everything a page needs to draw, before any change. */
export interface StreamSnapshot {
  instruments: InstrumentView[];
  openAlerts: LiveAlert[];
}

/** How soon a browser reconnects after the stream broke (EventSource does it by itself). */
const RETRY_MS = 2000;

/**
 * `GET /api/v1/stream`: server-sent events. `snapshot` (a `StreamSnapshot`) first, then one
 * `change` (a `LiveChange`) per change of the feed, in order. A reconnecting page gets a fresh
 * snapshot, so nothing missed while it was away stays missed. Comments keep idle proxies from
 * closing the connection.
 */
export function liveStream(c: Context, feed: LiveFeed, keepAliveMs: number): Response {
  return streamSSE(c, async (stream) => {
    // The snapshot is taken and the subscription made in the same tick: no change can slip
    // between them. Writes are chained, so changes go out in order, after the snapshot.
    const snapshot: StreamSnapshot = { instruments: feed.instruments(), openAlerts: feed.openAlerts() };
    let writing: Promise<void> = stream.writeSSE({ event: 'snapshot', data: JSON.stringify(snapshot), retry: RETRY_MS });
    const send = (write: () => Promise<unknown>) => {
      writing = writing.then(write).then(
        () => undefined,
        () => stream.abort(),
      );
    };
    const unsubscribe = feed.subscribe((change: LiveChange) => {
      send(() => stream.writeSSE({ event: 'change', data: JSON.stringify(change) }));
    });
    const keepAlive = setInterval(() => send(() => stream.write(': keep-alive\n\n')), keepAliveMs);
    try {
      await new Promise<void>((resolve) => stream.onAbort(resolve));
    } finally {
      clearInterval(keepAlive);
      unsubscribe();
    }
  });
}
