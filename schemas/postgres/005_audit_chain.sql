-- The store now computes the audit chain itself (store.h, vigil_store_audit):
-- inside the append transaction it locks the audit_log_counter row, reads
-- the last row's seq and hash, and inserts its rows with the seqs it hashed.
-- That row's lock, held until commit, is what serialises appends: the row
-- is the append lock, and max(seq) is the counter, so last_seq goes.
--
-- A row inserted around the plugin (no seq given) still gets the next seq:
-- the trigger takes the same lock, then reads max(seq) in a fresh snapshot
-- (it sees what the previous holder committed). The store's own inserts give
-- their seq, so the trigger skips them: one lock per group, not one counter
-- update per row.

DROP TRIGGER audit_log_seq ON audit_log;
ALTER TABLE audit_log_counter DROP COLUMN last_seq;

CREATE OR REPLACE FUNCTION audit_log_next_seq() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM audit_log_counter FOR UPDATE;
  SELECT coalesce(max(seq), 0) + 1 INTO NEW.seq FROM audit_log;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_seq BEFORE INSERT ON audit_log
  FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION audit_log_next_seq();
