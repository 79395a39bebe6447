-- A smaller event row (a busy instrument-year: 209 bytes per log line before). What a row held
-- twice or could rebuild exactly is kept once:
--   * the type is a small integer, an id of `event_types`;
--   * a log event carries no instrument id: its file (`log_files`) belongs to one instrument;
--   * a step's data is the array [function, line] rather than an object naming both;
--   * the line's leading local time ('2020-09-11 12:26:48.728') is not kept as text when the
--     event's time and the clock's offset from UTC (`local_offset_min`) write it back exactly; the
--     text is kept whole otherwise;
--   * in a step's line, its message ('Instrument function <function> executing line <line>') is
--     kept as one character, char(1), written back from its data (a step whose line holds char(1)
--     itself keeps its data as an object, and its line as it is).
-- Each rule is applied only where it gives back the very text it replaces. `events` keeps its
-- columns and meaning, in plain SQL (json_extract, strftime): any SQLite shell reads it.

DROP VIEW events;
DROP TRIGGER event_stream_is_never_updated;
DROP TRIGGER event_stream_is_never_deleted;
DROP INDEX event_stream_source_key;
DROP INDEX event_stream_server_events;
ALTER TABLE event_stream RENAME TO event_stream_008;

CREATE TABLE event_types (
  type_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE event_stream (
  global_position INTEGER PRIMARY KEY,
  instrument_id TEXT,             -- events the server makes itself; NULL for log events (see file_id)
  type_id INTEGER NOT NULL REFERENCES event_types (type_id),
  occurred_ms INTEGER NOT NULL,   -- UTC ms since 1970 (events carry ISO-8601 with milliseconds)
  data TEXT NOT NULL,             -- JSON: the event's fields other than type, time and source; a step's: [function, line]
  recorded_ms INTEGER NOT NULL,   -- when the store received it
  file_id INTEGER REFERENCES log_files (file_id),
  source_offset INTEGER,
  source_index INTEGER,
  line_number INTEGER,
  raw TEXT,                       -- the decoded line (its first event stored only), less what rebuilds exactly (above)
  local_offset_min INTEGER,       -- the line's local time minus UTC, when its leading time is left out of `raw`
  CHECK ((file_id IS NULL) = (source_offset IS NULL) AND (file_id IS NULL) = (source_index IS NULL)),
  CHECK ((file_id IS NULL) = (instrument_id IS NOT NULL)),
  CHECK (local_offset_min IS NULL OR raw IS NOT NULL)
) STRICT;

CREATE UNIQUE INDEX event_stream_source_key ON event_stream (file_id, source_offset, source_index);
CREATE INDEX event_stream_server_events ON event_stream (instrument_id, global_position) WHERE file_id IS NULL;

CREATE TRIGGER event_stream_is_never_updated BEFORE UPDATE ON event_stream
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be updated');
END;

CREATE TRIGGER event_stream_is_never_deleted BEFORE DELETE ON event_stream
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be deleted');
END;

-- Each row's own line as it was read (NULL where the row keeps none), and its data as JSON.
CREATE VIEW event_stream_lines AS
  SELECT s.global_position, s.file_id, s.source_offset, s.source_index,
    CASE WHEN substr(s.data, 1, 1) = '['
      THEN json_object('function', json_extract(s.data, '$[0]'), 'line', json_extract(s.data, '$[1]'))
      ELSE s.data END AS data,
    CASE WHEN s.raw IS NOT NULL THEN
      CASE WHEN s.local_offset_min IS NULL THEN ''
        ELSE strftime('%Y-%m-%d %H:%M:%f', (s.occurred_ms + s.local_offset_min * 60000) / 1000.0, 'unixepoch') END
      || CASE WHEN substr(s.data, 1, 1) = '['
        THEN replace(s.raw, char(1), 'Instrument function ' || json_extract(s.data, '$[0]') || ' executing line ' || json_extract(s.data, '$[1]'))
        ELSE s.raw END
    END AS line
  FROM event_stream s;

CREATE VIEW events AS
  SELECT s.global_position, coalesce(s.instrument_id, f.instrument_id) AS instrument_id, t.name AS type,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.occurred_ms / 1000.0, 'unixepoch') AS occurred_at,
    l.data,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.recorded_ms / 1000.0, 'unixepoch') AS recorded_at,
    f.name AS log_file, s.source_offset, s.source_index, s.line_number,
    -- A line with several events keeps its text on the first stored of them.
    coalesce(l.line, CASE WHEN s.source_index > 0 THEN (
      SELECT r.line FROM event_stream_lines r
      WHERE r.file_id = s.file_id AND r.source_offset = s.source_offset AND r.source_index < s.source_index AND r.line IS NOT NULL
      ORDER BY r.source_index LIMIT 1) END) AS raw
  FROM event_stream s
  JOIN event_stream_lines l ON l.global_position = s.global_position
  JOIN event_types t ON t.type_id = s.type_id
  LEFT JOIN log_files f ON f.file_id = s.file_id;

-- Written through (tests and tools that insert rows the way the table took them, and the rows
-- of the previous schema below), each rule applied only where it rebuilds the text exactly.
CREATE TRIGGER events_insert INSTEAD OF INSERT ON events
BEGIN
  -- The store writes objects only: in `event_stream`, an array is a step's [function, line].
  SELECT RAISE(ABORT, 'an event''s data is a JSON object') WHERE json_valid(NEW.data) = 0 OR json_type(NEW.data) <> 'object';
  INSERT INTO log_files (instrument_id, name) SELECT NEW.instrument_id, NEW.log_file
    WHERE NEW.log_file IS NOT NULL ON CONFLICT DO NOTHING;
  INSERT INTO event_types (name) VALUES (NEW.type) ON CONFLICT DO NOTHING;
  INSERT INTO event_stream (global_position, instrument_id, type_id, occurred_ms, data, recorded_ms, file_id, source_offset, source_index, line_number, raw, local_offset_min)
  SELECT NEW.global_position, CASE WHEN NEW.log_file IS NULL THEN NEW.instrument_id END,
    (SELECT type_id FROM event_types WHERE name = NEW.type), c.occurred_ms, c.data,
    CAST(round(unixepoch(NEW.recorded_at, 'subsec') * 1000) AS INTEGER),
    (SELECT file_id FROM log_files WHERE instrument_id = NEW.instrument_id AND name = NEW.log_file),
    NEW.source_offset, NEW.source_index, NEW.line_number,
    CASE WHEN c.step_message IS NOT NULL THEN replace(c.tail, c.step_message, char(1)) ELSE c.tail END,
    c.local_offset_min
  FROM (
    SELECT b.*,
      CASE WHEN b.local_offset_min IS NULL THEN NEW.raw ELSE substr(NEW.raw, 24) END AS tail
    FROM (
      SELECT a.*,
        CASE WHEN NEW.raw IS NOT NULL AND length(NEW.raw) >= 23 AND a.local_ms IS NOT NULL AND (a.local_ms - a.occurred_ms) % 60000 = 0
          AND strftime('%Y-%m-%d %H:%M:%f', a.local_ms / 1000.0, 'unixepoch') = substr(NEW.raw, 1, 23)
          THEN (a.local_ms - a.occurred_ms) / 60000 END AS local_offset_min
      FROM (
        SELECT CAST(round(unixepoch(NEW.occurred_at, 'subsec') * 1000) AS INTEGER) AS occurred_ms,
          CAST(round(unixepoch(substr(NEW.raw, 1, 23), 'subsec') * 1000) AS INTEGER) AS local_ms,
          CASE WHEN s.compact THEN json_array(s.fn, s.ln) ELSE NEW.data END AS data,
          CASE WHEN s.compact THEN 'Instrument function ' || s.fn || ' executing line ' || s.ln END AS step_message
        FROM (
          -- Not where the line holds char(1) itself: it would be read back as the message.
          SELECT NEW.type = 'step' AND json_type(NEW.data, '$.function') = 'text' AND json_type(NEW.data, '$.line') = 'integer'
              AND json_object('function', json_extract(NEW.data, '$.function'), 'line', json_extract(NEW.data, '$.line')) = NEW.data
              AND instr(coalesce(NEW.raw, ''), char(1)) = 0 AS compact,
            json_extract(NEW.data, '$.function') AS fn, json_extract(NEW.data, '$.line') AS ln
        ) s
      ) a
    ) b
  ) c;
END;

CREATE TRIGGER events_are_never_updated INSTEAD OF UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be updated');
END;

CREATE TRIGGER events_are_never_deleted INSTEAD OF DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: they cannot be deleted');
END;

INSERT INTO events (global_position, instrument_id, type, occurred_at, data, recorded_at, log_file, source_offset, source_index, line_number, raw)
  SELECT e.global_position, e.instrument_id, e.type,
    strftime('%Y-%m-%dT%H:%M:%fZ', e.occurred_ms / 1000.0, 'unixepoch'), e.data,
    strftime('%Y-%m-%dT%H:%M:%fZ', e.recorded_ms / 1000.0, 'unixepoch'),
    f.name, e.source_offset, e.source_index, e.line_number, e.raw
  FROM event_stream_008 e LEFT JOIN log_files f ON f.file_id = e.file_id
  ORDER BY e.global_position;

DROP TABLE event_stream_008;
