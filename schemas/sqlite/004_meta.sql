-- A small key-value for core's own settings. The schema version is not kept
-- here but in schema_migrations, which the migration runner owns.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) STRICT;
