-- Views of the event stream, rebuilt from `events` by replay through the machines
-- (src/store/*-projection.ts). Times are UTC ISO-8601 with milliseconds.

-- One row per procedure run; an open run has ended_at, duration_s and outcome NULL.
CREATE TABLE procedure_runs (
  run_id TEXT PRIMARY KEY,        -- '<instrument_id>/<log file>@<byte offset of the opening line>'
  instrument_id TEXT NOT NULL,
  procedure TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('logged', 'inferred')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_s REAL,
  outcome TEXT CHECK (outcome IN ('completed', 'cancelled', 'failed', 'unconfirmed', 'interrupted')),
  outcome_code TEXT,
  user TEXT,
  well TEXT,
  log_file TEXT NOT NULL,
  steps INTEGER NOT NULL,         -- step lines seen (so far, while open)
  fcs_files INTEGER NOT NULL
) STRICT;
CREATE INDEX procedure_runs_by_start ON procedure_runs (started_at);
CREATE INDEX procedure_runs_by_instrument ON procedure_runs (instrument_id, started_at);
CREATE INDEX procedure_runs_by_procedure ON procedure_runs (instrument_id, procedure, outcome, source);

CREATE TABLE user_sessions (
  instrument_id TEXT NOT NULL,
  user TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT CHECK (end_reason IN ('logout', 'software_exit', 'next_login')),
  PRIMARY KEY (instrument_id, started_at, user)
) STRICT;
CREATE INDEX user_sessions_by_start ON user_sessions (started_at);

CREATE TABLE alerts (
  alert_id TEXT PRIMARY KEY,      -- '<instrument_id>/<kind>:<run id in the log>'
  instrument_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  resolved_at TEXT,
  -- Checked at commit: a run's row is written when it closes or when the transaction ends.
  run_id TEXT REFERENCES procedure_runs (run_id) DEFERRABLE INITIALLY DEFERRED,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX alerts_by_instrument ON alerts (instrument_id, raised_at);
CREATE INDEX alerts_by_run ON alerts (run_id);

-- The latest state of each instrument, and the machine snapshot that restores it without replay.
CREATE TABLE instrument_state (
  instrument_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,           -- JSON: InstrumentStatus (src/machines/instrument-status.ts)
  as_of TEXT,                     -- time of the last event the machine saw
  last_position INTEGER NOT NULL, -- global_position of the last event applied
  snapshot TEXT NOT NULL,         -- JSON: the persisted machine (Monitor.persist())
  -- Source key of the last log event applied: an event sorting before it forces a rebuild.
  last_log_file TEXT,
  last_source_offset INTEGER,
  last_source_index INTEGER
) STRICT;

-- Durations of completed, logged runs per instrument and procedure.
CREATE TABLE procedure_stats (
  instrument_id TEXT NOT NULL,
  procedure TEXT NOT NULL,
  n INTEGER NOT NULL,
  median_s REAL NOT NULL,
  p90_s REAL NOT NULL,
  last_run_at TEXT NOT NULL,      -- start of the most recent of those runs
  PRIMARY KEY (instrument_id, procedure)
) STRICT;

-- How far each projection has applied each instrument's events.
CREATE TABLE projection_checkpoints (
  projection TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  last_position INTEGER NOT NULL,
  PRIMARY KEY (projection, instrument_id)
) STRICT;
