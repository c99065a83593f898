-- Attaches the AI-usage trigger to a content table of a dskv2 target, and
-- records it so that dskv2_create_schema re-attaches it (docs/triggers.md,
-- "AI metering"). Not for the log or the metering table themselves (22023).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ai_track(tbl pg_catalog.regclass)
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
    PERFORM @extschema@.dskv2_require_origin('dskv2_ai_track');
    t := @extschema@.dskv2_trigger_table(tbl);
    IF EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_tables() c
                WHERE c.table_name = t.table_name AND c.role IN ('log', 'metering')) THEN
        RAISE EXCEPTION 'dskv2: % cannot be metered', t.table_name USING ERRCODE = '22023';
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled) VALUES (''ai_usage'', $1, true)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = true, updated_at = pg_catalog.now()', t.target)
        USING t.table_name;
    PERFORM @extschema@.dskv2_install_trigger(t.target, t.table_name, 'ai_usage', NULL, false);
END
$$;
