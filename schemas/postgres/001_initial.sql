-- The first schema: clients, their devices, signals, the positions they open
-- and the close commands sent for them (close_commands with its original
-- columns; 002 adds the rest). Times are unix milliseconds, 0 = not yet.
-- Prices and volumes are decimal text as the records carry them, so they
-- come back exactly as written.

CREATE TABLE clients (
  id         TEXT PRIMARY KEY,
  name       TEXT,
  created_at BIGINT NOT NULL CONSTRAINT clients_created_at CHECK (created_at >= 0)
);

CREATE TABLE devices (
  id           TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL REFERENCES clients (id),
  name         TEXT,
  secret_token TEXT NOT NULL,
  active       INTEGER NOT NULL CONSTRAINT devices_active CHECK (active IN (0, 1)),
  created_at   BIGINT NOT NULL CONSTRAINT devices_created_at CHECK (created_at >= 0)
);
CREATE INDEX devices_by_client ON devices (client_id, created_at, id);

CREATE TABLE signals (
  id            TEXT PRIMARY KEY,
  client_id     TEXT NOT NULL REFERENCES clients (id),
  instrument    TEXT NOT NULL,
  side          INTEGER NOT NULL CONSTRAINT signals_side CHECK (side IN (1, 2)),
  volume        TEXT NOT NULL,
  entry_price   TEXT,
  owner_sl      TEXT,
  owner_tp      TEXT,
  payload_token TEXT,
  rules_json    TEXT,
  created_at    BIGINT NOT NULL CONSTRAINT signals_created_at CHECK (created_at >= 0)
);
CREATE INDEX signals_by_client ON signals (client_id, created_at, id);

CREATE TABLE positions (
  id                 TEXT PRIMARY KEY,
  signal_id          TEXT NOT NULL REFERENCES signals (id),
  device_id          TEXT NOT NULL REFERENCES devices (id),
  client_id          TEXT NOT NULL REFERENCES clients (id),
  instrument         TEXT NOT NULL,
  side               INTEGER NOT NULL CONSTRAINT positions_side CHECK (side IN (1, 2)),
  state              TEXT NOT NULL CONSTRAINT positions_state
                       CHECK (state IN ('pending', 'acknowledged', 'open', 'closing', 'closed', 'rejected')),
  version            BIGINT NOT NULL CONSTRAINT positions_version CHECK (version >= 0),
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
  created_at         BIGINT NOT NULL CONSTRAINT positions_created_at CHECK (created_at >= 0),
  opened_at          BIGINT NOT NULL DEFAULT 0,
  closed_at          BIGINT NOT NULL DEFAULT 0,
  updated_at         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX positions_by_device ON positions (device_id, created_at, id);
CREATE INDEX positions_by_state ON positions (state, created_at, id);
CREATE INDEX positions_by_signal ON positions (signal_id);

CREATE TABLE close_commands (
  id                 TEXT PRIMARY KEY,
  position_id        TEXT NOT NULL REFERENCES positions (id),
  device_id          TEXT NOT NULL REFERENCES devices (id),
  reason             TEXT NOT NULL,
  expected_price     TEXT,
  actual_close_price TEXT,
  status             TEXT NOT NULL CONSTRAINT close_commands_status
                       CHECK (status IN ('pending', 'acknowledged', 'executed', 'failed', 'expired')),
  created_at         BIGINT NOT NULL CONSTRAINT close_commands_created_at CHECK (created_at >= 0),
  executed_at        BIGINT NOT NULL DEFAULT 0,
  error_message      TEXT
);
CREATE INDEX close_commands_by_device ON close_commands (device_id, created_at, id);
CREATE INDEX close_commands_by_position ON close_commands (position_id);
