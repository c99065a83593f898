-- Attaches (or re-attaches with other ignored columns) the audit trigger on
-- a table of a dskv2 target, and records it so that dskv2_create_schema
-- re-attaches it (docs/triggers.md, "Audit trail"). Not for the log itself (22023).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_audit_enable(tbl pg_catalog.regclass,
                                                          ignored_columns pg_catalog.text[] DEFAULT '{}')
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
    missing pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_audit_enable');
    t := @extschema@.dskv2_trigger_table(tbl);
    IF EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_tables() c WHERE c.table_name = t.table_name AND c.role = 'log') THEN
        RAISE EXCEPTION 'dskv2: % cannot audit itself', t.table_name USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_position(ignored_columns, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: ignored_columns must not contain NULL' USING ERRCODE = '22023';
    END IF;
    SELECT c INTO missing FROM pg_catalog.unnest(COALESCE(ignored_columns, '{}')) AS c
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = tbl AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped)
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: column %.% does not exist', t.table_name, missing USING ERRCODE = '42703';
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled, ignored_columns)
         VALUES (''audit'', $1, true, $2)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = true, ignored_columns = EXCLUDED.ignored_columns,
                                                      updated_at = pg_catalog.now()', t.target)
        USING t.table_name, COALESCE(ignored_columns, '{}');
    PERFORM @extschema@.dskv2_install_trigger(t.target, t.table_name, 'audit', COALESCE(ignored_columns, '{}'), true);
END
$$;
