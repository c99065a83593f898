-- Re-evaluates the quarantined rows through the same mapping: rows that now
-- pass move into V2 and leave the quarantine (docs/mapping.md, "Rejects and
-- the quarantine").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_retry_rejects(source pg_catalog.name DEFAULT 'public',
                                                           target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET transform_null_equals = off
SET array_nulls = on
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = postgres
SET bytea_output = hex
SET extra_float_digits = 1
AS $$ SELECT * FROM @extschema@.dskv2_migrate_tables(source, target, NULL, 'retry') $$;
