-- The foreign keys of the V2 tables: the parent in the target or in auth,
-- the delete action, the constraint's name and the index of the column (NULL
-- when a key leads with it). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_foreign_keys()
RETURNS TABLE (table_name pg_catalog.text, column_name pg_catalog.text, parent_schema pg_catalog.text,
               parent_table pg_catalog.text, parent_column pg_catalog.text, on_delete pg_catalog.text,
               constraint_name pg_catalog.text, index_name pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_catalog_foreign_keys'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
