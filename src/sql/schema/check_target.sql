-- Raises 42P06 unless `target` may be created or managed by dskv2.
-- Returns true when the schema exists already (with the marker).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_check_target(target pg_catalog.name, source pg_catalog.name DEFAULT NULL)
RETURNS pg_catalog.bool
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    schema_oid pg_catalog.oid;
    marker pg_catalog.text;
BEGIN
    IF target IS NULL OR target = '' THEN
        RAISE EXCEPTION 'dskv2: target schema name must not be empty' USING ERRCODE = '22023';
    END IF;
    IF target IN ('pg_catalog', 'information_schema', 'auth', 'extensions', 'pg_toast', 'public',
                  'storage', 'realtime', 'graphql', 'graphql_public', 'vault', 'supabase_functions')
       OR target LIKE 'pg\_%' THEN
        RAISE EXCEPTION 'dskv2: refusing target schema "%": it is a system or platform schema', target
            USING ERRCODE = '42P06',
                  HINT = 'Use a dedicated schema such as dropskills_v2.';
    END IF;
    IF source IS NOT NULL AND target = source THEN
        RAISE EXCEPTION 'dskv2: target schema "%" is the source schema', target
            USING ERRCODE = '42P06';
    END IF;
    SELECT n.oid, pg_catalog.obj_description(n.oid, 'pg_namespace')
      INTO schema_oid, marker
      FROM pg_catalog.pg_namespace n WHERE n.nspname = target;
    IF schema_oid IS NULL THEN
        RETURN false;
    END IF;
    IF marker IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', target
            USING ERRCODE = '42P06',
                  DETAIL = 'Its comment does not carry the dropskills_v2 ownership marker.',
                  HINT = 'Choose another target schema, or drop this one yourself.';
    END IF;
    RETURN true;
END
$$;
