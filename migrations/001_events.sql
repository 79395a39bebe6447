-- The append-only event stream: every event of every instrument, in arrival order.
-- A log event carries its source key (log file, byte offset of its line, index within the line),
-- unique per instrument, so the same line can never be stored twice; events the server makes
-- itself (e.g. connectivity changes) have no source key.
CREATE TABLE events (
  global_position INTEGER PRIMARY KEY,
  instrument_id TEXT NOT NULL,
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,      -- UTC ISO-8601 with milliseconds
  data TEXT NOT NULL,             -- JSON: the event's fields other than type, time and source
  recorded_at TEXT NOT NULL,      -- when the store received it (UTC ISO-8601)
  log_file TEXT,
  source_offset INTEGER,
  source_index INTEGER,
  line_number INTEGER,
  raw TEXT,                       -- the decoded log line; NULL for log_opened/log_ended and server events
  CHECK ((log_file IS NULL) = (source_offset IS NULL) AND (log_file IS NULL) = (source_index IS NULL))
) STRICT;

-- The source key; also the order in which an instrument's log events are applied to its machine.
CREATE UNIQUE INDEX events_source_key ON events (instrument_id, log_file, source_offset, source_index);

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be updated');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be deleted');
END;
