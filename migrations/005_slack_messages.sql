-- What the Slack app must remember across server restarts (src/slack/store/slack-store.ts).
-- Not projections: these record what was said to Slack, which a replay cannot re-derive.

-- One row per alert posted to the channel: it is never posted twice, and stays updatable in
-- place (chat.update needs the channel id and the message ts) after a restart.
CREATE TABLE slack_alert_messages (
  alert_id TEXT PRIMARY KEY,       -- LiveAlert.id
  instrument_id TEXT NOT NULL,
  channel TEXT NOT NULL,           -- the channel id Slack answered with
  ts TEXT NOT NULL,                -- the message's ts
  posted_at TEXT NOT NULL,
  resolved_at TEXT                 -- set once the message was updated to "resolved"
) STRICT;

-- "Notify me when free": who waits for which instrument; a row is deleted once the DM is sent.
CREATE TABLE slack_free_subscriptions (
  instrument_id TEXT NOT NULL,
  slack_user_id TEXT NOT NULL,
  subscribed_at TEXT NOT NULL,
  PRIMARY KEY (instrument_id, slack_user_id)
) STRICT;

-- Who opened the home tab, and when last: their tab is kept up to date for a while after.
CREATE TABLE slack_home_viewers (
  slack_user_id TEXT PRIMARY KEY,
  opened_at TEXT NOT NULL
) STRICT;
