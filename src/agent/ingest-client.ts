import type * as z from '../shared/zod-mini.ts';
import { apiErrorSchema } from '../protocol/api-errors.ts';
import { bearer, EVENTS_PATH, HEARTBEAT_PATH } from '../protocol/api-paths.ts';
import { eventsResponseSchema, type EventItem, type EventsResponse } from '../protocol/events-api.ts';
import { heartbeatResponseSchema, type HeartbeatRequest, type HeartbeatResponse } from '../protocol/heartbeat-api.ts';
import { httpText, type HttpAnswer } from './http-text.ts';
import { failureForStatus, type IngestResult } from './ingest-outcome.ts';

// The agent's side of the HTTP API v1. Every request has a timeout, so a server that accepts the
// connection and then hangs cannot stall the sender or the heartbeat.

export interface IngestClientOptions {
  /** The server's base URL, e.g. http://monitor.lab:8787 (a path prefix behind a proxy is kept). */
  serverUrl: string;
  token: string;
  instrumentId: string;
}

export class IngestClient {
  private readonly base: string;
  private readonly token: string;
  readonly instrumentId: string;

  constructor(options: IngestClientOptions) {
    this.base = options.serverUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.instrumentId = options.instrumentId;
  }

  postEvents(items: readonly EventItem[], timeoutMs: number, signal: AbortSignal): Promise<IngestResult<EventsResponse>> {
    const body = JSON.stringify({ instrument_id: this.instrumentId, events: items });
    return this.post(EVENTS_PATH, body, eventsResponseSchema, timeoutMs, signal);
  }

  postHeartbeat(heartbeat: HeartbeatRequest, timeoutMs: number, signal: AbortSignal): Promise<IngestResult<HeartbeatResponse>> {
    return this.post(HEARTBEAT_PATH, JSON.stringify(heartbeat), heartbeatResponseSchema, timeoutMs, signal);
  }

  private async post<T>(path: string, body: string, schema: z.ZodMiniType<T>, timeoutMs: number, signal: AbortSignal): Promise<IngestResult<T>> {
    let answer: HttpAnswer;
    try {
      answer = await httpText(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(this.token) },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      return { kind: 'retry', status: null, message: networkErrorText(error, timeoutMs) };
    }
    const { status, text } = answer;
    if (answer.location !== null && status >= 300 && status <= 399) return failureForStatus(status, `HTTP ${status}: ${redirectAdvice(answer.location)}`);
    if (status < 200 || status > 299) return failureForStatus(status, `HTTP ${status}: ${errorMessage(text)}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'retry', status, message: `HTTP ${status} with a body that is not JSON` };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { kind: 'retry', status, message: `HTTP ${status} with an unexpected body: ${parsed.error.message.slice(0, 300)}` };
    return { kind: 'ok', body: parsed.data };
  }
}

/** A redirect is not followed (the token would go to an address nobody configured): the fix is the server setting. */
export function redirectAdvice(location: string): string {
  return `the server redirects to ${JSON.stringify(location.slice(0, 200))}: set the server address to where it points`;
}

function errorMessage(text: string): string {
  try {
    const parsed = apiErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) return `${parsed.data.error.code}: ${parsed.data.error.message}`;
  } catch {
    // Not our error shape (a proxy's HTML page): show its start.
  }
  return text.slice(0, 200) || '(no body)';
}

function networkErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    if (error.name === 'AbortError') return 'aborted';
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}
