import type { Context, MiddlewareHandler } from 'hono';
import type { TokenStore } from '../store/token-store.ts';
import { HttpError } from './http-error.ts';

// Agents authenticate with `Authorization: Bearer <token>`, a token bound to one instrument.
// Missing or unknown: 401, before the body is read. Known but sent for another instrument: 403,
// once the body says which instrument it is for. Either way nothing is stored.

export interface AgentEnv {
  Variables: { agentInstrument: string };
}

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

export function agentAuth(tokens: TokenStore): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    const challenge = { 'WWW-Authenticate': 'Bearer realm="attune-monitor"' };
    if (token === undefined) throw new HttpError('unauthorized', 'an agent token is required: Authorization: Bearer <token>', challenge);
    const instrumentId = tokens.instrumentFor(token);
    if (instrumentId === null) throw new HttpError('unauthorized', 'unknown or revoked agent token', challenge);
    c.set('agentInstrument', instrumentId);
    await next();
  };
}

/** The request is for `instrumentId`: its token must be that instrument's. */
export function requireInstrument(c: Context<AgentEnv>, instrumentId: string): void {
  if (c.get('agentInstrument') !== instrumentId) throw new HttpError('forbidden', `this token belongs to another instrument than ${instrumentId}`);
}
