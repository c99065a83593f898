-- Attaches every enabled trigger of `target` that is missing: the tables the
-- catalogue audits by default, what dskv2_audit_enable and dskv2_ai_track
-- recorded, the quota ledger's trigger and the append-only guards of the log.
-- Called by dskv2_create_schema and the migrations. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_attach_triggers(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    log_table pg_catalog.text;
    metering_table pg_catalog.text;
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings (kind, table_name) SELECT ''audit'', t FROM pg_catalog.unnest($1) AS t
         ON CONFLICT (kind, table_name) DO NOTHING', target)
        USING (SELECT pg_catalog.array_agg(c.table_name ORDER BY c.ord) FROM @extschema@.dskv2_catalog_tables() c
                WHERE c.audited);
    FOR r IN EXECUTE pg_catalog.format(
        'SELECT s.kind, s.table_name, s.ignored_columns FROM %I.trigger_settings s
          WHERE s.enabled ORDER BY s.kind, s.table_name', target) LOOP
        CONTINUE WHEN pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, r.table_name)) IS NULL;
        PERFORM @extschema@.dskv2_install_trigger(target, r.table_name, r.kind, r.ignored_columns, false);
    END LOOP;
    SELECT c.table_name INTO metering_table FROM @extschema@.dskv2_catalog_tables() c WHERE c.role = 'metering';
    SELECT c.table_name INTO log_table FROM @extschema@.dskv2_catalog_tables() c WHERE c.role = 'log';
    -- The quota ledger follows every other write to the metering table (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.%I', target, metering_table)::pg_catalog.regclass,
        'dskv2_ai_ledger', pg_catalog.format(
            'CREATE TRIGGER dskv2_ai_ledger AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.%I '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dskv2_ai_ledger_reset(%L)', target, metering_table, target));
    -- The audit log stays append-only (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.%I', target, log_table)::pg_catalog.regclass,
        'dskv2_append_only', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only BEFORE UPDATE OR DELETE ON %I.%I FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target, log_table));
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.%I', target, log_table)::pg_catalog.regclass,
        'dskv2_append_only_truncate', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only_truncate BEFORE TRUNCATE ON %I.%I FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target, log_table));
END
$$;
