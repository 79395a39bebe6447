import { loadBolt } from '../bolt.ts';

/** Slack's window: a request signed more than five minutes from now may be a replay. */
export const SIGNATURE_TOLERANCE_S = 300;

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=` and the hex HMAC-SHA256. */
  signature: string | undefined;
  /** The body exactly as received: parsing first and re-serialising would change it. */
  rawBody: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Slack's request signing, checked by Bolt's own `verifySlackRequest` (HMAC-SHA256 of
 * `v0:<timestamp>:<body>`, compared in constant time, refused when stale). Before it, what Bolt
 * takes for granted: both headers present and well-formed (it would throw a TypeError on a
 * missing signature), and a timestamp not from the future either (Bolt looks only back).
 */
export async function verifySignature(request: SignedRequest, signingSecret: string, nowMs: number): Promise<SignatureCheck> {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  const stale = { ok: false, reason: 'stale X-Slack-Request-Timestamp (more than 5 minutes off)' } as const;
  if (Number(timestamp) - nowMs / 1000 > SIGNATURE_TOLERANCE_S) return stale;
  if (signature === undefined || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  const { verifySlackRequest } = await loadBolt();
  try {
    verifySlackRequest({ signingSecret, body: rawBody, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) }, nowMilliseconds: nowMs });
    return { ok: true };
  } catch (error) {
    return /stale/.test(error instanceof Error ? error.message : '') ? stale : { ok: false, reason: 'X-Slack-Signature does not match' };
  }
}
