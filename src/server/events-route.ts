import type { Hono } from 'hono';
import { EVENTS_PATH } from '../protocol/api-paths.ts';
import { eventsRequestSchema, MAX_EVENTS_BODY_BYTES, type EventsResponse } from '../protocol/events-api.ts';
import type { EventStore } from '../store/event-store.ts';
import type { TokenStore } from '../store/token-store.ts';
import { agentAuth, requireInstrument, type AgentEnv } from './agent-auth.ts';
import { limitBody, readJsonBody } from './http-error.ts';

/**
 * POST /api/v1/events: a batch of an agent's log events, appended idempotently on their source
 * keys in one transaction. The answer names the highest source position stored for the
 * instrument, read in that same transaction, so the agent knows what it may forget.
 */
export function registerEventsRoute(app: Hono<AgentEnv>, store: EventStore, tokens: TokenStore): void {
  app.post(EVENTS_PATH, agentAuth(tokens), limitBody(MAX_EVENTS_BODY_BYTES), async (c) => {
    const batch = await readJsonBody(c, eventsRequestSchema);
    requireInstrument(c, batch.instrument_id);
    const events = batch.events.map((item) => item.event);
    const raws = batch.events.map((item) => item.raw);
    const answer: EventsResponse = store.transaction(() => {
      const counts = store.appendLogEvents(batch.instrument_id, events, raws);
      return { ...counts, highest_source: store.highestSource(batch.instrument_id) };
    });
    return c.json(answer);
  });
}
