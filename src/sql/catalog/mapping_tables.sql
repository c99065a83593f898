CREATE OR REPLACE FUNCTION @extschema@.dskv2_mapping_tables()
RETURNS TABLE (ord pg_catalog.int4, source_table pg_catalog.text, target_table pg_catalog.text,
               parents pg_catalog.text[])
AS 'MODULE_PATHNAME', 'dskv2_mapping_tables'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
