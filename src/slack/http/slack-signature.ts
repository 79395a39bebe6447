import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window: a request signed more than five minutes from now may be a replay. */
export const SIGNATURE_TOLERANCE_S = 300;

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=` and the hex HMAC-SHA256. */
  signature: string | undefined;
  /** The body's bytes exactly as received: parsing first and re-serialising would change them. */
  rawBody: Uint8Array;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Slack's request signing, v0: HMAC-SHA256 with the signing secret over `v0:<timestamp>:<body>`,
 * compared in constant time (a byte-by-byte compare would leak how much of a forgery is right),
 * and only within five minutes of the timestamp.
 */
export function verifySlackSignature(request: SignedRequest, signingSecret: string, nowMs: number): SignatureCheck {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'stale X-Slack-Request-Timestamp (more than 5 minutes off)' };
  if (signature === undefined || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody), 'utf8');
  return timingSafeEqual(expected, Buffer.from(signature, 'utf8')) ? { ok: true } : { ok: false, reason: 'X-Slack-Signature does not match' };
}

/** `v0=` + hex HMAC, as Slack computes it (tests sign requests with this too). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Uint8Array | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}
