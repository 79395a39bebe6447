import type { Logger } from 'pino';
import { z } from 'zod';
import type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../../live/instrument-view.ts';
import { instrumentViewSchema, liveAlertSchema } from '../../server/api-schemas.ts';

export interface RemoteServer {
  /** The attune-monitor server's address, e.g. `http://attune.lab.internal:8080`. */
  url: string;
  /** Its read token (ATTUNE_READ_TOKEN), when it has one. */
  readToken?: string | null;
}

export interface RemoteLiveFeedOptions extends RemoteServer {
  log: Logger;
  now: () => Date;
  /** Wait before connecting again after the stream broke. */
  reconnectMs?: number;
}

/** Alerts raised longer ago than this when first seen (after a reconnect) are not news: listed, not posted. */
const HISTORIC_AFTER_MS = 5 * 60_000;

const snapshotSchema = z.object({ instruments: z.array(instrumentViewSchema), openAlerts: z.array(liveAlertSchema) });
const changeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('instrument_changed'), view: instrumentViewSchema }),
  z.object({ type: z.enum(['alert_raised', 'alert_resolved']), alert: liveAlertSchema, historic: z.boolean() }),
]);

/** `Authorization` for the server's read side. */
export function readHeaders(server: RemoteServer): Record<string, string> {
  return server.readToken === undefined || server.readToken === null ? {} : { authorization: `Bearer ${server.readToken}` };
}

/**
 * The live feed of an attune-monitor server running elsewhere, followed over its event stream
 * (`GET /api/v1/stream`: a snapshot, then every change), for a lab bot in another process or on
 * another machine. The stream is reconnected when it breaks; the fresh snapshot is compared with
 * what was known, so alerts raised or resolved meanwhile are announced as changes too.
 */
export class RemoteLiveFeed implements LiveFeed {
  private readonly views = new Map<string, InstrumentView>();
  private readonly open = new Map<string, LiveAlert>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly abort = new AbortController();
  private seenSnapshot = false;
  private firstSnapshot: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly options: RemoteLiveFeedOptions) {}

  /** Starts following; resolves at the first snapshot, or after `waitMs` (it keeps trying). */
  async start(waitMs = 10_000): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      this.firstSnapshot = resolve;
    });
    void this.follow();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.options.log.warn(`attune-monitor at ${this.options.url} not reached within ${waitMs} ms; still trying`);
        resolve();
      }, waitMs);
    });
    await Promise.race([ready, late]);
    clearTimeout(timer);
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  instruments(): InstrumentView[] {
    return [...this.views.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  instrument(id: string): InstrumentView | null {
    return this.views.get(id) ?? null;
  }

  openAlerts(): LiveAlert[] {
    return [...this.open.values()].sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.id < b.id ? -1 : 1));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async follow(): Promise<void> {
    const { log } = this.options;
    while (!this.stopped) {
      try {
        const response = await fetch(new URL('/api/v1/stream', this.options.url), { headers: { accept: 'text/event-stream', ...readHeaders(this.options) }, signal: this.abort.signal });
        if (!response.ok || response.body === null) throw new Error(`GET /api/v1/stream answered ${response.status}`);
        await this.read(response.body);
        if (!this.stopped) log.warn('attune-monitor stream ended; reconnecting');
      } catch (error) {
        if (this.stopped) return;
        log.warn({ err: error }, `attune-monitor stream at ${this.options.url} failed; reconnecting`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.reconnectMs ?? 2000).unref());
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.message(message);
      }
    }
  }

  /** One server-sent event: `event:` names it, `data:` lines carry its JSON. */
  private message(text: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    try {
      const json: unknown = JSON.parse(data.join('\n'));
      if (event === 'snapshot') this.snapshot(snapshotSchema.parse(json) as { instruments: InstrumentView[]; openAlerts: LiveAlert[] });
      else if (event === 'change') this.change(changeSchema.parse(json) as LiveChange);
    } catch (error) {
      this.options.log.warn({ err: error, event }, 'attune-monitor stream: a message that is not what the server sends; ignored');
    }
  }

  private snapshot(snapshot: { instruments: InstrumentView[]; openAlerts: LiveAlert[] }): void {
    const changes: LiveChange[] = [];
    if (this.seenSnapshot) {
      // Back after a break: what was raised or resolved meanwhile, as the changes that were missed.
      const nowMs = this.options.now().getTime();
      const now = new Date(nowMs).toISOString();
      const still = new Set(snapshot.openAlerts.map((alert) => alert.id));
      for (const alert of this.open.values()) if (!still.has(alert.id)) changes.push({ type: 'alert_resolved', alert: { ...alert, resolvedAt: now }, historic: false });
      for (const alert of snapshot.openAlerts) {
        if (!this.open.has(alert.id)) changes.push({ type: 'alert_raised', alert, historic: nowMs - Date.parse(alert.raisedAt) > HISTORIC_AFTER_MS });
      }
    }
    this.views.clear();
    for (const view of snapshot.instruments) this.views.set(view.id, view);
    this.open.clear();
    for (const alert of snapshot.openAlerts) this.open.set(alert.id, alert);
    if (this.seenSnapshot) for (const view of snapshot.instruments) changes.push({ type: 'instrument_changed', view });
    this.seenSnapshot = true;
    this.firstSnapshot?.();
    this.firstSnapshot = null;
    this.emit(changes);
  }

  private change(change: LiveChange): void {
    if (change.type === 'instrument_changed') this.views.set(change.view.id, change.view);
    else if (change.type === 'alert_raised') this.open.set(change.alert.id, change.alert);
    else this.open.delete(change.alert.id);
    this.emit([change]);
  }

  private emit(changes: readonly LiveChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.options.log.error({ err: error }, 'a listener of the remote feed failed');
        }
      }
    }
  }
}
