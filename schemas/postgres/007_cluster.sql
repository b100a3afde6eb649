-- Several vigild hosts on one database (store.h, ABI 1.3). Core splits
-- positions into shards; each shard is served by the host holding its lease.
-- Every time below is the database's clock (now()), never a host's, so hosts
-- with skewed clocks still agree on who holds what.

-- One row per shard, created by the first heartbeat (shard_count rows, never
-- held). A take-over adds 1 to epoch: a host's writes name the epoch they
-- were decided under (a FENCE write), and the store refuses them once the
-- epoch moved on. An empty owner is a lease never taken or given up.
CREATE TABLE leases (
  shard       INTEGER PRIMARY KEY CONSTRAINT leases_shard_not_negative CHECK (shard >= 0),
  owner       TEXT NOT NULL DEFAULT '',
  epoch       BIGINT NOT NULL DEFAULT 0,
  expires_at  TIMESTAMPTZ NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL
);

-- Every host that ever sent a heartbeat, and when it last did.
CREATE TABLE hosts (
  id      TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  seen_at TIMESTAMPTZ NOT NULL
);

-- Signed requests' nonces, claimed once per device until they expire
-- (expires_at: unix ms, the host's clock, as the request's timestamp
-- window is). Heartbeats delete expired ones a bounded batch at a time,
-- oldest first: hence the index.
CREATE TABLE nonces (
  device_id  TEXT NOT NULL,
  nonce      TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);
