-- Migrates every legacy table in one transaction, all-or-nothing, in report
-- order (docs/api.md, "Functions").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_migrate_all(source pg_catalog.name DEFAULT 'public',
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
AS $$ SELECT * FROM @extschema@.dskv2_migrate_tables(source, target, NULL, 'atomic') $$;
