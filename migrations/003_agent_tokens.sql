-- Agent tokens (`attune-monitor token create`), each bound to one instrument. Only the SHA-256 of
-- a token is kept (hex): a copy of the database or a backup does not hand out working tokens.
-- One token per instrument: creating a new one replaces the old (rotation), revoking deletes it.
CREATE TABLE agent_tokens (
  instrument_id TEXT PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL        -- UTC ISO-8601
) STRICT;
