import type { Hono } from 'hono';
import type { ServerLiveFeed } from '../live/live-feed.ts';
import { HEARTBEAT_PATH } from '../protocol/api-paths.ts';
import { heartbeatRequestSchema, MAX_HEARTBEAT_BODY_BYTES, type HeartbeatResponse } from '../protocol/heartbeat-api.ts';
import type { Clock } from '../shared/clock.ts';
import type { TokenStore } from '../store/token-store.ts';
import { agentAuth, requireInstrument, type AgentEnv } from './agent-auth.ts';
import { limitBody, readJsonBody } from './http-error.ts';

/** POST /api/v1/heartbeat: an agent is alive and says how it is doing; kept as the latest and judged at once. */
export function registerHeartbeatRoute(app: Hono<AgentEnv>, feed: ServerLiveFeed, tokens: TokenStore, clock: Clock): void {
  app.post(HEARTBEAT_PATH, agentAuth(tokens), limitBody(MAX_HEARTBEAT_BODY_BYTES), async (c) => {
    const heartbeat = await readJsonBody(c, heartbeatRequestSchema);
    requireInstrument(c, heartbeat.instrument_id);
    feed.heartbeat(heartbeat);
    const answer: HeartbeatResponse = { ok: true, server_time: new Date(clock.now()).toISOString() };
    return c.json(answer);
  });
}
