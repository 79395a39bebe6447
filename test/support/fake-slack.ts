import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitErrors, type Surface } from './block-kit-rules.ts';
import { FakeSocketMode, SOCKET_PATH } from './fake-socket-mode.ts';

/** One request the fake received, answered or refused. */
export interface FakeSlackCall {
  /** Web API method (`chat.postMessage`…), or `response_url` for a post to a response URL. */
  method: string;
  body: Record<string, unknown>;
  token: string | null;
  /** HTTP status the fake answered with. */
  status: number;
  /** Slack's `ok` (false also for a 429). */
  ok: boolean;
  error: string | null;
}

export interface FakeSlackOptions {
  botToken?: string;
  botUserId?: string;
  botId?: string;
  /** The app-level token `apps.connections.open` accepts (Socket Mode). */
  appToken?: string;
}

type Json = Record<string, unknown>;

/** How Slack is unreachable: the port closed, every call answered 503, or no call ever answered. */
export type SlackOutage = 'refused' | 'unavailable' | 'hang';

/**
 * A local fake of the Slack Web API on 127.0.0.1, for Bolt's `clientOptions.slackApiUrl`: it
 * records every call, answers the methods the app uses as Slack does (`auth.test`,
 * `views.publish`, `chat.postMessage`, `chat.update`, `chat.postEphemeral`,
 * `conversations.open`, and posts to response URLs), refuses blocks that break Block Kit's
 * limits with `invalid_blocks`, checks the bot token, and can be told to answer 429 with a
 * Retry-After, or an error, to the next calls of a method. It can go down (`goDown`) and come
 * back on the same port (`comeBack`).
 */
export class FakeSlack {
  readonly calls: FakeSlackCall[] = [];
  /** Channel messages by `channel:ts`, as last posted or updated. */
  readonly messages = new Map<string, Json>();
  /** The Socket Mode end: envelopes to send, acks received. */
  readonly socketMode: FakeSocketMode;
  private readonly server: Server;
  private readonly scripted = new Map<string, Array<{ status: number; retryAfter?: number; error?: string }>>();
  private nextTs = 1_600_000_000_000_100;
  private waiters: Array<() => void> = [];
  private outage: SlackOutage | null = null;
  private port = 0;
  private readonly held = new Set<ServerResponse>();

  private constructor(
    server: Server,
    readonly botToken: string,
    readonly botUserId: string,
    readonly botId: string,
    readonly appToken: string,
  ) {
    this.server = server;
    this.socketMode = new FakeSocketMode(server);
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options.botToken ?? 'xoxb-fake-token', options.botUserId ?? 'UBOT', options.botId ?? 'BBOT', options.appToken ?? 'xapp-1-A0ATTUNE-1-fake');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  private get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Slack becomes unreachable in the way given, until `comeBack`. */
  async goDown(how: SlackOutage): Promise<void> {
    this.outage = how;
    if (how === 'refused') {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }

  /** Slack answers again, on the same port; calls left hanging are cut (as a dropped connection would be). */
  async comeBack(): Promise<void> {
    const was = this.outage;
    this.outage = null;
    for (const res of this.held) res.destroy();
    this.held.clear();
    if (was === 'refused') await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  /** Requests made while down (answered 503 or left hanging), by method. */
  readonly missed: string[] = [];

  /** The Web API base URL, for `SLACK_API_URL`. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A response URL (as Slack puts in commands and actions) that posts into this fake. */
  responseUrl(id: string): string {
    return `${this.origin}/response/${id}`;
  }

  /** The next `times` calls of `method` are answered 429 with Retry-After. */
  rateLimitNext(method: string, times: number, retryAfterSeconds: number): void {
    this.script(method, times, { status: 429, retryAfter: retryAfterSeconds });
  }

  /** The next `times` calls of `method` are answered `{ok: false, error}`. */
  failNext(method: string, times: number, error: string): void {
    this.script(method, times, { status: 200, error });
  }

  /** Calls of a method that Slack accepted, in order. */
  accepted(method: string): FakeSlackCall[] {
    return this.calls.filter((call) => call.method === method && call.ok);
  }

  /** Resolves once `predicate` holds over the calls (checked on every call), or fails after `timeoutMs`. */
  async waitFor(predicate: (fake: FakeSlack) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Slack: condition not met in ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method}${c.ok ? '' : `(${c.error ?? c.status})`}`).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.socketMode.closeAll();
    for (const res of this.held) res.destroy();
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private script(method: string, times: number, answer: { status: number; retryAfter?: number; error?: string }): void {
    const list = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(answer);
    this.scripted.set(method, list);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.origin);
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : null;
    const responseUrl = url.pathname.startsWith('/response/');
    const method = responseUrl ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    if (this.outage !== null) {
      this.missed.push(method);
      if (this.outage === 'hang') this.held.add(res);
      else res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable');
      return;
    }

    const scripted = this.scripted.get(method)?.shift();
    let status = 200;
    let answer: Json;
    if (scripted?.status === 429) {
      status = 429;
      res.setHeader('Retry-After', String(scripted.retryAfter ?? 1));
      answer = { ok: false, error: 'ratelimited' };
    } else if (scripted?.error !== undefined) {
      answer = { ok: false, error: scripted.error };
    } else if (responseUrl) {
      answer = this.respond(body);
    } else if (method === 'apps.connections.open') {
      answer = token === this.appToken ? { ok: true, url: `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}${SOCKET_PATH}` } : { ok: false, error: 'invalid_auth' };
    } else if (token !== this.botToken) {
      answer = { ok: false, error: token === null ? 'not_authed' : 'invalid_auth' };
    } else {
      answer = this.answer(method, body);
    }
    const ok = answer.ok === true;
    this.calls.push({ method, body, token, status, ok, error: typeof answer.error === 'string' ? answer.error : null });
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private answer(method: string, body: Json): Json {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://lab.slack.com/', team: 'Lab', user: 'attune', team_id: 'T0LAB', user_id: this.botUserId, bot_id: this.botId };
      case 'views.publish': {
        const view = body.view as Json | undefined;
        if (typeof body.user_id !== 'string') return { ok: false, error: 'invalid_arguments' };
        if (view?.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        return this.checked(view.blocks, 'view', () => ({ ok: true, view: { id: 'V1', type: 'home', blocks: view.blocks } }));
      }
      case 'chat.postMessage': {
        if (typeof body.channel !== 'string') return { ok: false, error: 'channel_not_found' };
        return this.checkedMessage(body, () => {
          const channel = channelId(body.channel as string);
          const ts = this.ts();
          this.messages.set(`${channel}:${ts}`, body);
          return { ok: true, channel, ts, message: { text: body.text, blocks: body.blocks } };
        });
      }
      case 'chat.update': {
        const key = `${String(body.channel)}:${String(body.ts)}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        return this.checkedMessage(body, () => {
          this.messages.set(key, body);
          return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
        });
      }
      case 'chat.postEphemeral':
        return this.checkedMessage(body, () => ({ ok: true, message_ts: this.ts() }));
      case 'conversations.open': {
        const users = typeof body.users === 'string' ? body.users.split(',') : [];
        if (users.length !== 1) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, channel: { id: `D${users[0]}` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** A response URL answers `{ok: true}` or Slack's refusal of the blocks. */
  private respond(body: Json): Json {
    return this.checkedMessage(body, () => ({ ok: true }));
  }

  private checkedMessage(body: Json, accept: () => Json): Json {
    if (body.blocks === undefined) return typeof body.text === 'string' && body.text.length > 0 ? accept() : { ok: false, error: 'no_text' };
    return this.checked(body.blocks, 'message', accept);
  }

  private checked(blocks: unknown, surface: Surface, accept: () => Json): Json {
    const errors = blockKitErrors(blocks, surface);
    return errors.length === 0 ? accept() : { ok: false, error: 'invalid_blocks', errors };
  }

  private ts(): string {
    const n = this.nextTs++;
    return `${Math.floor(n / 1_000_000)}.${String(n % 1_000_000).padStart(6, '0')}`;
  }
}

/** Slack answers with a channel id when posted to by name. */
function channelId(channel: string): string {
  return /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `C${channel.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
}

/** Web API calls come form-encoded with JSON-encoded objects (WebClient), or as JSON (response URLs). */
function parseBody(raw: string, contentType: string): Json {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Json;
  const body: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = key === 'blocks' || key === 'view' ? JSON.parse(value) : value;
  }
  return body;
}
