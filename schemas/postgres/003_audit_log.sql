-- The audit log: append-only. A sequence would hand out numbers in start
-- order and leave gaps on rollback, so a reader following "seq > last seen"
-- could skip a row that commits late. Instead every insert takes the next
-- number from one counter row, whose lock it holds until commit: seq follows
-- commit order, without gaps. Core chains the rows with hashes; the triggers
-- refuse to rewrite or remove history, whoever asks.

CREATE TABLE audit_log_counter (
  only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CONSTRAINT audit_log_counter_one_row CHECK (only_row),
  last_seq BIGINT NOT NULL
);
INSERT INTO audit_log_counter (last_seq) VALUES (0);

CREATE TABLE audit_log (
  seq         BIGINT PRIMARY KEY,
  at          BIGINT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail_json TEXT,
  prev_hash   TEXT,
  hash        TEXT NOT NULL
);

CREATE FUNCTION audit_log_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_log_counter SET last_seq = last_seq + 1 RETURNING last_seq INTO NEW.seq;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_seq BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_next_seq();

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
