import type { Env, Hono } from 'hono';
import type { Clock } from '../shared/clock.ts';
import { HttpError } from './http-error.ts';

/** GET /healthz: the process answers and its database is open (for a service manager or a proxy). */
export function registerHealthRoute<E extends Env>(app: Hono<E>, clock: Clock, startedAt: number, databaseOpen: () => boolean): void {
  app.get('/healthz', (c) => {
    if (!databaseOpen()) throw new HttpError('unavailable', 'the server is shutting down');
    return c.json({ ok: true, server_time: new Date(clock.now()).toISOString(), started_at: new Date(startedAt).toISOString() });
  });
}
