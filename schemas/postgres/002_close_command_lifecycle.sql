-- Close commands get what the engine and the EA exchange about them (the
-- level that was crossed, the volume to close, the broker's deal, attempts),
-- an optimistic version, and the rule that protects money most: at most one
-- live (pending or acknowledged) command per position, enforced here so that
-- neither a bug nor a second host can close a position twice.

ALTER TABLE close_commands
  ADD COLUMN level TEXT,
  ADD COLUMN volume TEXT,
  ADD COLUMN version BIGINT NOT NULL DEFAULT 0 CONSTRAINT close_commands_version CHECK (version >= 0),
  ADD COLUMN broker_deal TEXT,
  ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CONSTRAINT close_commands_attempts CHECK (attempts >= 0),
  ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- A database from before this rule may hold several live commands for one
-- position. Keep one (an acknowledged one before a pending one, as the EA may
-- be executing it; then the newest) and expire the others, so that the index
-- below can be built.
UPDATE close_commands
   SET status = 'expired',
       error_message = 'expired by migration 002: the position had another live close command'
 WHERE status IN ('pending', 'acknowledged')
   AND EXISTS (
     SELECT 1 FROM close_commands AS other
      WHERE other.position_id = close_commands.position_id
        AND other.status IN ('pending', 'acknowledged')
        AND (CASE other.status WHEN 'acknowledged' THEN 1 ELSE 0 END, other.created_at, other.id)
          > (CASE close_commands.status WHEN 'acknowledged' THEN 1 ELSE 0 END,
             close_commands.created_at, close_commands.id));

CREATE UNIQUE INDEX close_commands_one_live ON close_commands (position_id)
  WHERE status IN ('pending', 'acknowledged');
