-- The estimator's history, kept as events arrive (src/store/run-steps-projection.ts): the step
-- timeline of each run that ran to its end (completed or unconfirmed), and of the open run so far.
-- The server reads it at start instead of replaying every event through the machines.
CREATE TABLE run_steps (
  run_id TEXT PRIMARY KEY REFERENCES procedure_runs (run_id) DEFERRABLE INITIALLY DEFERRED,
  instrument_id TEXT NOT NULL,
  -- JSON [[function, line, ms after the run's start], …] in order; times kept to the millisecond.
  steps TEXT NOT NULL,
  -- JSON [[from, to or null], …]: the user waits, ms after the run's start.
  waits TEXT NOT NULL
) STRICT;
CREATE INDEX run_steps_by_instrument ON run_steps (instrument_id);
