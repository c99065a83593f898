-- Detaches the audit trigger from a table, and records it so that
-- dskv2_create_schema does not attach it again (docs/triggers.md, "Audit trail").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_audit_disable(tbl pg_catalog.regclass)
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
    PERFORM @extschema@.dskv2_require_origin('dskv2_audit_disable');
    t := @extschema@.dskv2_trigger_table(tbl);
    -- Recorded, so that dskv2_create_schema does not attach it again.
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled) VALUES (''audit'', $1, false)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = false, updated_at = pg_catalog.now()', t.target)
        USING t.table_name;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_audit') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit ON %s', tbl),
                                                 pg_catalog.format('table %s', tbl));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_audit_truncate') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit_truncate ON %s', tbl),
                                                 pg_catalog.format('table %s', tbl));
    END IF;
END
$$;
