-- The parent and child edges between mappings: a child row whose parent is
-- missing or rejected is rejected itself (rejects_orphans) or keeps a NULL
-- reference with a warning; must_migrate_first: the child's migration
-- refuses to run before the parent's. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_edges()
RETURNS TABLE (child pg_catalog.text, child_relation pg_catalog.text, child_column pg_catalog.text,
               parent pg_catalog.text, rejects_orphans pg_catalog.bool, must_migrate_first pg_catalog.bool)
AS 'MODULE_PATHNAME', 'dskv2_catalog_edges'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
