-- The audit log: append-only. seq is the rowid: the store appends under its
-- one writer, so a new row gets max(seq) + 1, in commit order and without
-- gaps. Core chains the rows with hashes; the triggers refuse to rewrite or
-- remove history, whoever asks.

CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail_json TEXT,
  prev_hash   TEXT,
  hash        TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
