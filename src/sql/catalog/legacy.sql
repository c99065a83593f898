-- The legacy tables of the catalogue: the relation's name ("auth.users",
-- "profiles", ...), its schema ('auth', or 'source' for the legacy schema),
-- the mapping it feeds, its key, whether it may be missing or partitioned,
-- whether the switch makes it read-only for the application, and whether it
-- stays on the auth path (synced after the switch). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_legacy()
RETURNS TABLE (ord pg_catalog.int4, relation pg_catalog.text, schema_kind pg_catalog.text,
               table_name pg_catalog.text, mapping pg_catalog.text, key_column pg_catalog.text,
               key_type pg_catalog.text, optional pg_catalog.bool, partitioned pg_catalog.bool,
               guarded pg_catalog.bool, auth_path pg_catalog.bool)
AS 'MODULE_PATHNAME', 'dskv2_catalog_legacy'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
