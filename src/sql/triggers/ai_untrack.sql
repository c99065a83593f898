-- Detaches the AI-usage trigger from a table, and records it so that
-- dskv2_create_schema does not attach it again (docs/triggers.md, "AI metering").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ai_untrack(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET transform_null_equals = off
SET array_nulls = on
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = postgres
SET bytea_output = hex
SET extra_float_digits = 1
AS $$
DECLARE
    t record;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_ai_untrack');
    t := @extschema@.dskv2_trigger_table(tbl);
    EXECUTE pg_catalog.format(
        'UPDATE %I.trigger_settings SET enabled = false, updated_at = pg_catalog.now()
          WHERE kind = ''ai_usage'' AND table_name = $1', t.target)
        USING t.table_name;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_ai_usage') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_ai_usage ON %s', tbl),
                                                 pg_catalog.format('table %s', tbl));
    END IF;
END
$$;
