import type { MiddlewareHandler } from 'hono';
import { apiError } from '../protocol/api-errors.ts';

// A server bound to a loopback address trusts whoever can connect: only this machine. A web page
// on this machine can still make the browser connect through DNS rebinding (evil.example resolving
// to 127.0.0.1) and read the answers, since to the browser they come from evil.example. It cannot
// change the Host header the browser sends, so a loopback server answers only requests addressed
// to a loopback name, or to names the operator gave (--allowed-host, e.g. a reverse proxy's).

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The host name of a Host header, without its port, lower case (`[::1]:8080` → `[::1]`). */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * For a server bound to `bindHost`: refuses (403) requests whose Host is neither a loopback name
 * nor one of `allowed`. Null when the server is not bound to loopback (read access guards it then).
 */
export function hostCheck(bindHost: string, allowed: readonly string[] = []): MiddlewareHandler | null {
  if (!isLoopback(bindHost)) return null;
  const names = new Set(allowed.map((name) => hostName(name)));
  return async (c, next) => {
    const host = hostName(c.req.header('host') ?? '');
    if (isLoopback(host) || names.has(host)) return next();
    return c.json(
      apiError('forbidden', `this server answers requests to 127.0.0.1, localhost or [::1] only, not to ${JSON.stringify(host.slice(0, 100))} (a name in front of it: --allowed-host)`),
      403,
    );
  };
}
