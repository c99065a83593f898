-- The lock live sync and the migration's writers share per target and legacy
-- table (sync.cpp takes the same one): a migration statement holds it
-- exclusively, so it never writes a row live sync is writing.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_lock_mapping(target pg_catalog.name, source_table pg_catalog.text)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.pg_advisory_xact_lock(1685285683, pg_catalog.hashtext(target::pg_catalog.text || '/' || source_table)) $$;
