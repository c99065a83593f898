-- The SQL of one mapping for one purpose and row set, from the SQL generator
-- of the core (docs/architecture.md, "The SQL generator"), for the target's
-- shape. Internal: the migrations, the verification and live sync run it.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_mapping_sql(source_table pg_catalog.text, purpose pg_catalog.text,
                                                         source pg_catalog.name, target pg_catalog.name,
                                                         run_id pg_catalog.int8 DEFAULT 0,
                                                         row_set pg_catalog.text DEFAULT 'pending')
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_mapping_sql'
LANGUAGE C STABLE;
