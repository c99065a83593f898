-- Attaches live sync's triggers to one legacy table when missing (the first
-- argument names the target: a rollback finds them by it): dskv2_sync and
-- dskv2_sync_truncate; on the auth relation of the auth path (auth.users,
-- where sign-ups arrive) also dskv2_sync_flush (AFTER INSERT FOR EACH
-- STATEMENT), which syncs the statement's new auth users after the table's
-- other AFTER triggers ran (a sign-up's handle_new_user creates the profile
-- first, and the V2 user is written once). The table is registered in
-- <target>_private.registrations first: the trigger acts only for a table the
-- target's owner registered (docs/security.md, "Identity switches"). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_attach_sync(rel pg_catalog.regclass, source pg_catalog.name,
                                                         target pg_catalog.name, run_id pg_catalog.int8)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.registrations AS r (kind, table_schema, table_name, source)
         SELECT ''sync'', n.nspname, c.relname, $2
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1
         ON CONFLICT (kind, table_schema, table_name) DO UPDATE SET source = EXCLUDED.source',
        @extschema@.dskv2_private_schema(target))
        USING rel, source;
    PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync', pg_catalog.format(
        'CREATE TRIGGER dskv2_sync AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
        'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync_truncate', pg_catalog.format(
        'CREATE TRIGGER dskv2_sync_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT '
        'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    IF EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_legacy() l
                WHERE l.schema_kind = 'auth' AND l.auth_path
                  AND pg_catalog.to_regclass(@extschema@.dskv2_legacy_relation(l.relation, source)) = rel) THEN
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync_flush', pg_catalog.format(
            'CREATE TRIGGER dskv2_sync_flush AFTER INSERT ON %s FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    END IF;
END
$$;
