-- A smaller event store: 286 bytes per log line before, most of it the same text over
-- and over. The stream moves to `event_stream`:
--   * log file names are ids of `log_files` (a name once per file, not per event);
--   * the raw line is kept once per line, on the first event stored of it (a line that yields
--     several events kept it on each);
--   * times are integers: UTC milliseconds since 1970.
-- `events` stays, as a view with the columns and meaning it had (docs/store.md): queries written
-- against it keep working, and it refuses updates and deletes as the table did.

CREATE TABLE log_files (
  file_id INTEGER PRIMARY KEY,
  instrument_id TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (instrument_id, name)
) STRICT;

CREATE TABLE event_stream (
  global_position INTEGER PRIMARY KEY,
  instrument_id TEXT NOT NULL,
  type TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,   -- UTC ms since 1970 (events carry ISO-8601 with milliseconds)
  data TEXT NOT NULL,             -- JSON: the event's fields other than type, time and source
  recorded_ms INTEGER NOT NULL,   -- when the store received it
  file_id INTEGER REFERENCES log_files (file_id),
  source_offset INTEGER,
  source_index INTEGER,
  line_number INTEGER,
  raw TEXT,                       -- the decoded line, on the first event stored of that line only
  CHECK ((file_id IS NULL) = (source_offset IS NULL) AND (file_id IS NULL) = (source_index IS NULL))
) STRICT;

-- The source key (a file belongs to one instrument), and the order of a file's events.
CREATE UNIQUE INDEX event_stream_source_key ON event_stream (file_id, source_offset, source_index);
-- Events the server makes itself (few): found per instrument without reading the log events.
CREATE INDEX event_stream_server_events ON event_stream (instrument_id, global_position) WHERE file_id IS NULL;

INSERT INTO log_files (instrument_id, name)
  SELECT DISTINCT instrument_id, log_file FROM events WHERE log_file IS NOT NULL ORDER BY instrument_id, log_file;

INSERT INTO event_stream (global_position, instrument_id, type, occurred_ms, data, recorded_ms, file_id, source_offset, source_index, line_number, raw)
  SELECT e.global_position, e.instrument_id, e.type,
    CAST(round(unixepoch(e.occurred_at, 'subsec') * 1000) AS INTEGER), e.data,
    CAST(round(unixepoch(e.recorded_at, 'subsec') * 1000) AS INTEGER),
    f.file_id, e.source_offset, e.source_index, e.line_number,
    -- Once per line: dropped where an earlier event of the same line holds the same text.
    CASE WHEN e.raw IS NOT NULL AND EXISTS (
      SELECT 1 FROM events p WHERE p.instrument_id = e.instrument_id AND p.log_file = e.log_file AND p.source_offset = e.source_offset
        AND p.source_index < e.source_index AND p.raw = e.raw) THEN NULL ELSE e.raw END
  FROM events e LEFT JOIN log_files f ON f.instrument_id = e.instrument_id AND f.name = e.log_file
  ORDER BY e.global_position;

DROP TABLE events;

CREATE TRIGGER event_stream_is_never_updated BEFORE UPDATE ON event_stream
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be updated');
END;

CREATE TRIGGER event_stream_is_never_deleted BEFORE DELETE ON event_stream
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be deleted');
END;

CREATE VIEW events AS
  SELECT s.global_position, s.instrument_id, s.type,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.occurred_ms / 1000.0, 'unixepoch') AS occurred_at,
    s.data,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.recorded_ms / 1000.0, 'unixepoch') AS recorded_at,
    f.name AS log_file, s.source_offset, s.source_index, s.line_number,
    coalesce(s.raw, CASE WHEN s.source_index > 0 THEN (
      SELECT r.raw FROM event_stream r
      WHERE r.file_id = s.file_id AND r.source_offset = s.source_offset AND r.source_index < s.source_index AND r.raw IS NOT NULL
      ORDER BY r.source_index LIMIT 1) END) AS raw
  FROM event_stream s LEFT JOIN log_files f ON f.file_id = s.file_id;

-- Written through (tests and tools that insert rows the way the table took them).
CREATE TRIGGER events_insert INSTEAD OF INSERT ON events
BEGIN
  INSERT INTO log_files (instrument_id, name) SELECT NEW.instrument_id, NEW.log_file
    WHERE NEW.log_file IS NOT NULL ON CONFLICT DO NOTHING;
  INSERT INTO event_stream (global_position, instrument_id, type, occurred_ms, data, recorded_ms, file_id, source_offset, source_index, line_number, raw)
  VALUES (NEW.global_position, NEW.instrument_id, NEW.type,
    CAST(round(unixepoch(NEW.occurred_at, 'subsec') * 1000) AS INTEGER), NEW.data,
    CAST(round(unixepoch(NEW.recorded_at, 'subsec') * 1000) AS INTEGER),
    (SELECT file_id FROM log_files WHERE instrument_id = NEW.instrument_id AND name = NEW.log_file),
    NEW.source_offset, NEW.source_index, NEW.line_number, NEW.raw);
END;

CREATE TRIGGER events_are_never_updated INSTEAD OF UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be updated');
END;

CREATE TRIGGER events_are_never_deleted INSTEAD OF DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be deleted');
END;
