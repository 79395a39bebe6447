-- Alerts on their way to Slack (src/slack/store/slack-store.ts, src/slack/alerts/alert-poster.ts).
-- An alert raised or resolved while Slack cannot be reached waits here, across restarts, and is
-- delivered once, in the order it was first queued, when Slack answers again.

CREATE TABLE slack_alert_outbox (
  seq INTEGER PRIMARY KEY,  -- the order of delivery: when the alert was first queued (rowid: new rows come after every row left)
  alert_id TEXT NOT NULL UNIQUE,          -- one row per alert: a resolve replaces its waiting raise
  alert TEXT NOT NULL,                    -- the LiveAlert as it is now (JSON), resolved or not
  resolved_while_stopped INTEGER NOT NULL DEFAULT 0, -- found resolved at start-up: when exactly is unknown
  queued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0     -- refusals by Slack (not outages): dropped after a few
) STRICT;

-- The alert each posted message shows (JSON), so that a message whose alert resolved while the
-- server was stopped can be rewritten at start-up. Null for messages posted before this migration.
ALTER TABLE slack_alert_messages ADD COLUMN alert TEXT;
