-- The store now computes the audit chain itself (store.h, vigil_store_audit):
-- it locks the counter row, reads the last row's hash and inserts the seq it
-- hashed. The trigger still advances the counter on every insert, so a row
-- inserted around the plugin gets the next seq too, and it refuses a given
-- seq that is not the next one, so the chain's seq can neither fork nor skip.

CREATE OR REPLACE FUNCTION audit_log_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_seq BIGINT;
BEGIN
  UPDATE audit_log_counter SET last_seq = last_seq + 1 RETURNING last_seq INTO next_seq;
  IF NEW.seq IS NOT NULL AND NEW.seq <> next_seq THEN
    RAISE EXCEPTION 'audit_log: seq % was given, but % is the next', NEW.seq, next_seq
      USING ERRCODE = 'check_violation', CONSTRAINT = 'audit_log_next_seq';
  END IF;
  NEW.seq := next_seq;
  RETURN NEW;
END
$$;
