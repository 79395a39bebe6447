import type { Env, Hono } from 'hono';
import type { z } from 'zod';
import type { InstrumentView, LiveFeed } from '../live/instrument-view.ts';
import { API_V1 } from '../protocol/api-paths.ts';
import { instrumentIdSchema } from '../protocol/instrument-id.ts';
import type { ProcedureRunsReadModel } from '../store/procedure-runs-projection.ts';
import { runFilterOf, runsQuerySchema, type apiInstrumentSchema } from './api-schemas.ts';
import { checked, HttpError, queryOf } from './http-error.ts';

export const INSTRUMENTS_PATH = `${API_V1}/instruments`;

/** An instrument as the API shows it: the live view, and the last heartbeat's time at the top. */
export function apiInstrument(view: InstrumentView): z.infer<typeof apiInstrumentSchema> {
  return { ...view, last_heartbeat_at: view.connectivity.lastHeartbeatAt };
}

/** The read side: what people and pages ask of the instruments (no token: see docs/server.md, "Access"). */
export function registerInstrumentsRoutes<E extends Env>(app: Hono<E>, feed: LiveFeed, runs: ProcedureRunsReadModel): void {
  const viewOf = (id: string): InstrumentView => {
    const view = instrumentIdSchema.safeParse(id).success ? feed.instrument(id) : null;
    if (view === null) throw new HttpError('not_found', `no instrument ${JSON.stringify(id)}`);
    return view;
  };

  app.get(INSTRUMENTS_PATH, (c) => c.json({ instruments: feed.instruments().map(apiInstrument) }));

  app.get(`${INSTRUMENTS_PATH}/:id`, (c) => c.json(apiInstrument(viewOf(c.req.param('id')))));

  app.get(`${INSTRUMENTS_PATH}/:id/runs`, (c) => {
    const { id } = viewOf(c.req.param('id'));
    const query = checked(runsQuerySchema, queryOf(c), 'the query');
    return c.json({ runs: runs.find(runFilterOf(query, id)) });
  });
}
