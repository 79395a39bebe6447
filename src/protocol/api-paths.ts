// The HTTP API v1 between agents and the server. Versioned in the path so a future v2 can live
// beside it while agents in the field are upgraded one by one.

export const API_V1 = '/api/v1';
export const EVENTS_PATH = `${API_V1}/events`;
export const HEARTBEAT_PATH = `${API_V1}/heartbeat`;

/** Agents authenticate with `Authorization: Bearer <token>`; a token is bound to one instrument. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
