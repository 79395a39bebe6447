import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLoopback } from '../server/host-check.ts';
import { READ_TOKEN_PARAM } from '../server/http-error.ts';

/**
 * Who may read the dashboard. Open on a loopback address (only this machine can connect); when
 * the server listens on the network, a read token or basic-auth credentials, unless the operator
 * chose `--public-read` knowingly.
 */
export type ReadAccess =
  | { kind: 'open' }
  | { kind: 'protected'; readToken: string | null; basic: { user: string; password: string } | null };

export interface ReadAccessSettings {
  host: string;
  readToken?: string | undefined;
  /** `user:password`. */
  basicAuth?: string | undefined;
  publicRead?: boolean | undefined;
}

export class ReadAccessError extends Error {}

/** The access a server bound to `host` must enforce, or the reason it must not start. */
export function readAccessFor(settings: ReadAccessSettings): ReadAccess {
  const readToken = settings.readToken === undefined || settings.readToken === '' ? null : settings.readToken;
  if (readToken !== null && readToken.length < 16) throw new ReadAccessError('the read token must be at least 16 characters long');
  let basic: { user: string; password: string } | null = null;
  if (settings.basicAuth !== undefined && settings.basicAuth !== '') {
    const colon = settings.basicAuth.indexOf(':');
    if (colon < 1 || colon === settings.basicAuth.length - 1) throw new ReadAccessError('basic-auth credentials must be given as user:password');
    basic = { user: settings.basicAuth.slice(0, colon), password: settings.basicAuth.slice(colon + 1) };
  }
  if (readToken !== null || basic !== null) return { kind: 'protected', readToken, basic };
  if (isLoopback(settings.host) || settings.publicRead === true) return { kind: 'open' };
  throw new ReadAccessError(
    `listening on ${settings.host} would show the dashboard to the whole network: set a read token (ATTUNE_READ_TOKEN) or basic-auth credentials (ATTUNE_BASIC_AUTH=user:password), or pass --public-read`,
  );
}


const COOKIE = 'attune_read';

/**
 * Guards the pages, their data and the stream. A read token is accepted as a bearer token, or
 * in the address (`?token=…`, for a bookmark or a wall screen, on every read path alike), which
 * sets a cookie so that the page's own requests (and EventSource, which cannot send headers)
 * carry it; basic auth is the browser's own prompt. Schemes are read in any case (RFC 9110), as
 * the agents' API reads them. `guards` says which paths it applies to (all by default).
 */
export function readAccessMiddleware(access: ReadAccess, guards: (path: string) => boolean = () => true): MiddlewareHandler {
  return async (c, next) => {
    if (access.kind === 'open' || !guards(c.req.path)) return next();
    const { scheme, credentials } = authorization(c.req.header('authorization'));
    const queryToken = c.req.query(READ_TOKEN_PARAM);
    const token = scheme === 'bearer' ? credentials : (queryToken ?? getCookie(c, COOKIE) ?? null);
    if (access.readToken !== null && token !== null && sameSecret(token, access.readToken)) {
      if (queryToken !== undefined) setCookie(c, COOKIE, queryToken, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return next();
    }
    if (access.basic !== null && scheme === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      if (sameSecret(decoded, `${access.basic.user}:${access.basic.password}`)) return next();
    }
    if (access.basic !== null) c.header('WWW-Authenticate', 'Basic realm="attune-monitor", charset="UTF-8"');
    return c.json({ error: { code: 'unauthorized', message: 'this dashboard needs its read token or credentials' } }, 401);
  };
}

/** An Authorization header's scheme (lower case) and credentials; empty when there is none. */
function authorization(header: string | undefined): { scheme: string; credentials: string } {
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S+)\s*$/.exec(header ?? '');
  return match === null ? { scheme: '', credentials: '' } : { scheme: (match[1] as string).toLowerCase(), credentials: match[2] as string };
}

/** Compares in constant time (of the hashes), so the answer's timing tells nothing of the secret. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
