-- The mappings in report order: the V2 table each writes, the parents that
-- must be migrated first, how it merges (none, by_slug, by_pair) and what the
-- dry run says of its counts. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_mappings()
RETURNS TABLE (ord pg_catalog.int4, source_table pg_catalog.text, target_table pg_catalog.text,
               parents pg_catalog.text[], merge pg_catalog.text, plan_note pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_catalog_mappings'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
