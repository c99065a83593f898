-- Attaches every enabled trigger of `target` that is missing: the default
-- audited tables, and what dskv2_audit_enable and dskv2_ai_track recorded.
-- Called by dskv2_create_schema and the migrations. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_attach_triggers(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings (kind, table_name) SELECT ''audit'', t FROM pg_catalog.unnest($1) AS t
         ON CONFLICT (kind, table_name) DO NOTHING', target)
        USING ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'ai_tools']::pg_catalog.text[];
    FOR r IN EXECUTE pg_catalog.format(
        'SELECT s.kind, s.table_name, s.ignored_columns FROM %I.trigger_settings s
          WHERE s.enabled ORDER BY s.kind, s.table_name', target) LOOP
        CONTINUE WHEN pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, r.table_name)) IS NULL;
        PERFORM @extschema@.dskv2_install_trigger(target, r.table_name, r.kind, r.ignored_columns, false);
    END LOOP;
    -- The quota ledger follows every other write to ai_usage (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.ai_usage', target)::pg_catalog.regclass,
        'dskv2_ai_ledger', pg_catalog.format(
            'CREATE TRIGGER dskv2_ai_ledger AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.ai_usage '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dskv2_ai_ledger_reset(%L)', target, target));
    -- admin_logs stays append-only (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.admin_logs', target)::pg_catalog.regclass,
        'dskv2_append_only', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only BEFORE UPDATE OR DELETE ON %I.admin_logs FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target));
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.admin_logs', target)::pg_catalog.regclass,
        'dskv2_append_only_truncate', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only_truncate BEFORE TRUNCATE ON %I.admin_logs FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target));
END
$$;
