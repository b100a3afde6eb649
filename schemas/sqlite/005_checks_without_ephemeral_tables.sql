-- The same positions and close_commands, with the same columns, constraint
-- names and rows; the state and status checks are spelled as ORs of
-- equalities. SQLite evaluates `x IN (list)` of more than two constants
-- through a temporary b-tree that it builds on every execution of the
-- statement: every position update and close command insert built one,
-- about a third of what a group commit spent. The checks accept and refuse
-- exactly the same values as before.
--
-- Two indexes are not rebuilt, as no statement of the store reads them:
-- positions_by_signal and close_commands_by_position (written on every close
-- command insert). The store filters positions and commands by id, device
-- and state only; a position's live command is found through
-- close_commands_one_live. What they served is the foreign keys' check when
-- a signal or a position is deleted or re-keyed, which the store never does
-- (it has no delete): by hand, such a statement now scans the referencing
-- table. The foreign keys themselves stay. Same as schemas/postgres/006.
--
-- SQLite cannot alter a CHECK, so each table is rebuilt (the procedure of
-- SQLite's ALTER TABLE documentation): the migration session turns foreign
-- key enforcement off around a migration and runs PRAGMA foreign_key_check
-- before committing it (sqlite_migration.cpp), so a rebuild that broke a
-- reference would roll back.

CREATE TABLE positions_rebuilt (
  id                 TEXT PRIMARY KEY,
  signal_id          TEXT NOT NULL REFERENCES signals (id),
  device_id          TEXT NOT NULL REFERENCES devices (id),
  client_id          TEXT NOT NULL REFERENCES clients (id),
  instrument         TEXT NOT NULL,
  side               INTEGER NOT NULL CONSTRAINT positions_side CHECK (side IN (1, 2)),
  state              TEXT NOT NULL CONSTRAINT positions_state
                       CHECK (state = 'pending' OR state = 'acknowledged' OR state = 'open' OR state = 'closing'
                              OR state = 'closed' OR state = 'rejected'),
  version            INTEGER NOT NULL CONSTRAINT positions_version CHECK (version >= 0),
  volume             TEXT NOT NULL,
  entry_price        TEXT,
  owner_sl           TEXT,
  owner_tp           TEXT,
  execution_id       TEXT,
  broker_ticket      TEXT,
  actual_entry_price TEXT,
  filled_volume      TEXT,
  close_price        TEXT,
  close_reason       TEXT,
  rule_state_json    TEXT,
  error_message      TEXT,
  created_at         INTEGER NOT NULL CONSTRAINT positions_created_at CHECK (created_at >= 0),
  opened_at          INTEGER NOT NULL DEFAULT 0,
  closed_at          INTEGER NOT NULL DEFAULT 0,
  updated_at         INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO positions_rebuilt SELECT * FROM positions;
DROP TABLE positions;
ALTER TABLE positions_rebuilt RENAME TO positions;
CREATE INDEX positions_by_device ON positions (device_id, created_at, id);
CREATE INDEX positions_by_state ON positions (state, created_at, id);

-- The columns in the order 001 and 002 left them, so SELECT * copies them.
CREATE TABLE close_commands_rebuilt (
  id                 TEXT PRIMARY KEY,
  position_id        TEXT NOT NULL REFERENCES positions (id),
  device_id          TEXT NOT NULL REFERENCES devices (id),
  reason             TEXT NOT NULL,
  expected_price     TEXT,
  actual_close_price TEXT,
  status             TEXT NOT NULL CONSTRAINT close_commands_status
                       CHECK (status = 'pending' OR status = 'acknowledged' OR status = 'executed'
                              OR status = 'failed' OR status = 'expired'),
  created_at         INTEGER NOT NULL CONSTRAINT close_commands_created_at CHECK (created_at >= 0),
  executed_at        INTEGER NOT NULL DEFAULT 0,
  error_message      TEXT,
  level              TEXT,
  volume             TEXT,
  version            INTEGER NOT NULL DEFAULT 0 CONSTRAINT close_commands_version CHECK (version >= 0),
  broker_deal        TEXT,
  attempts           INTEGER NOT NULL DEFAULT 0 CONSTRAINT close_commands_attempts CHECK (attempts >= 0),
  updated_at         INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO close_commands_rebuilt SELECT * FROM close_commands;
DROP TABLE close_commands;
ALTER TABLE close_commands_rebuilt RENAME TO close_commands;
CREATE INDEX close_commands_by_device ON close_commands (device_id, created_at, id);
CREATE UNIQUE INDEX close_commands_one_live ON close_commands (position_id)
  WHERE status IN ('pending', 'acknowledged');
