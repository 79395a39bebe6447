import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

// The agent's few HTTP requests (batches, heartbeats, `check`), with node:http rather than
// `fetch`. Node's `fetch` is undici, a large JavaScript library with an HTTP parser compiled from
// WebAssembly at first use: loading it is most of what an agent at rest holds beyond Node itself
// (its code, its heap, the WebAssembly compiler's pages of the executable), for requests that
// node:http makes with Node's built-in parser. Its keep-alive agent drops an idle connection a
// second before the server's announced `Keep-Alive: timeout=…`, so a heartbeat (every 10 s, past
// a usual 5 s keep-alive) opens a new one instead of racing the server closing the old one.

export interface HttpAnswer {
  status: number;
  text: string;
  /** Where a redirect points (3xx): reported, not followed, so that the token goes only where it was configured to go. */
  location: string | null;
}

/** The server's answers are small JSON; a larger body (a wrong address, a proxy's page) is cut off here rather than held in memory. */
export const MAX_ANSWER_BYTES = 1 << 20;

export interface HttpTextRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Ends the request: it rejects with the signal's reason (a `TimeoutError` from `AbortSignal.timeout`). */
  signal: AbortSignal;
}

/**
 * Sends one request and reads the whole answer as UTF-8 text. Rejects on network errors (an
 * `Error` with its errno `code`: ECONNREFUSED, ENOTFOUND…), on a connection closed before the
 * answer ended, on an answer longer than `MAX_ANSWER_BYTES`, and when `signal` aborts.
 */
export function httpText(url: string, init: HttpTextRequest): Promise<HttpAnswer> {
  const { signal } = init;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new Error(`not a URL: ${url}`));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null;
    if (send === null) {
      reject(new Error(`unsupported protocol ${target.protocol} (http: or https:)`));
      return;
    }
    const payload = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const headers = payload === undefined ? init.headers : { ...init.headers, 'content-length': String(payload.length) };
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: unknown) => settle(() => reject(error));
    const request = send(target, { method: init.method, headers }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_ANSWER_BYTES) request.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes: is this the attune-monitor server?`));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () =>
        settle(() => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: response.headers.location ?? null })),
      );
      response.on('close', () => {
        if (!response.complete) fail(new Error('the connection closed before the answer was complete'));
      });
    });
    const onAbort = () => request.destroy(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', fail);
    request.end(payload);
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}
