CREATE OR REPLACE FUNCTION @extschema@.dskv2_mapping_sql(source_table pg_catalog.text, purpose pg_catalog.text,
                                                         source pg_catalog.name, target pg_catalog.name,
                                                         run_id pg_catalog.int8 DEFAULT 0,
                                                         row_set pg_catalog.text DEFAULT 'pending')
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_mapping_sql'
LANGUAGE C STABLE;
