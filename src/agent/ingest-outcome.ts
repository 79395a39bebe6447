// What the agent does with an answer from the server. The rule that matters: only an answer that
// says the batch is stored lets the outbox advance; everything else keeps the events.

export type IngestFailure =
  /** The server is down, slow, overloaded or answered nonsense: retry with backoff. */
  | { kind: 'retry'; status: number | null; message: string }
  /** 413: the body was too big for the server (or a proxy before it): send fewer events. */
  | { kind: 'too_large'; status: 413; message: string }
  /**
   * Other 4xx (401 wrong token, 403 token of another instrument, 400 malformed, 404 wrong URL):
   * retrying at once would fail the same way, so the agent reports it loudly and waits long.
   */
  | { kind: 'rejected'; status: number; message: string };

export type IngestResult<T> = { kind: 'ok'; body: T } | IngestFailure;

export function failureForStatus(status: number, message: string): IngestFailure {
  if (status === 413) return { kind: 'too_large', status, message };
  // 408 Request Timeout and 429 Too Many Requests are about timing, not about the request.
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', status, message };
  return { kind: 'rejected', status, message };
}
