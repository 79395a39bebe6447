-- The latest heartbeat of each instrument's agent. Heartbeats come every few seconds and only the
-- latest matters, so they are kept here rather than as events; what they lead to (a change of
-- connectivity) is an event. Times are the server's clock, UTC ISO-8601.
CREATE TABLE agent_heartbeats (
  instrument_id TEXT PRIMARY KEY,
  received_at TEXT NOT NULL,
  heartbeat TEXT NOT NULL,        -- JSON: the request body (src/protocol/heartbeat-api.ts)
  error_since TEXT                -- since when the agent reports a last_error without a break; NULL when it reports none
) STRICT;

-- Each instrument's connectivity as of its latest `connectivity_changed` event (kept as they are
-- appended, rebuilt by replay).
CREATE TABLE instrument_connectivity (
  instrument_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('online', 'late', 'offline', 'software_silent', 'agent_error', 'unknown')),
  reason TEXT,
  since TEXT NOT NULL,            -- occurred_at of that event
  last_position INTEGER NOT NULL  -- its global_position
) STRICT;
