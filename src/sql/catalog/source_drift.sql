-- What differs between a mapping's legacy relations and the catalogue: missing
-- tables, missing required and optional columns, unknown columns (the dry
-- run reports them). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_source_drift(source_table pg_catalog.text, source pg_catalog.name)
RETURNS TABLE (relation pg_catalog.text, column_name pg_catalog.text, kind pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_source_drift'
LANGUAGE C STABLE;
