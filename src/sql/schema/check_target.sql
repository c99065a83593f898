-- Raises 42P06 unless `target` may be created or managed by dskv2, 42501
-- unless it is trusted and the acting role owns it (dskv2_require_trust).
-- Returns true when the schema exists already (with the marker); false when
-- it may be created.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_check_target(target pg_catalog.name, source pg_catalog.name DEFAULT NULL)
RETURNS pg_catalog.bool
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    schema_oid pg_catalog.oid;
    marker pg_catalog.text;
    companion record;
BEGIN
    IF target IS NULL OR target = '' THEN
        RAISE EXCEPTION 'dskv2: target schema name must not be empty' USING ERRCODE = '22023';
    END IF;
    IF target IN ('pg_catalog', 'information_schema', 'auth', 'extensions', 'pg_toast', 'public',
                  'storage', 'realtime', 'graphql', 'graphql_public', 'vault', 'supabase_functions')
       OR pg_catalog.starts_with(target, 'pg_') THEN
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
        -- A companion schema left without its target (a manual DROP SCHEMA of
        -- the target) is adopted only when the acting role owns it and it
        -- carries the marker; one that another role planted is refused.
        FOR companion IN SELECT n.oid, n.nspname, n.nspowner FROM pg_catalog.pg_namespace n
                          WHERE n.nspname IN ((target || '_private')::pg_catalog.name, (target || '_api')::pg_catalog.name)
                          ORDER BY n.nspname LOOP
            IF pg_catalog.obj_description(companion.oid, 'pg_namespace') IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
                RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', companion.nspname
                    USING ERRCODE = '42P06',
                          HINT = 'Drop it yourself after checking what it holds, or choose another target schema.';
            END IF;
            IF companion.nspowner <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
                RAISE EXCEPTION 'dskv2: schema "%" is owned by %, not by the acting role %', companion.nspname,
                                companion.nspowner::pg_catalog.regrole, current_user
                    USING ERRCODE = '42501',
                          HINT = 'Drop it yourself after checking what it holds, or choose another target schema.';
            END IF;
        END LOOP;
        RETURN false;
    END IF;
    IF marker IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', target
            USING ERRCODE = '42P06',
                  DETAIL = 'Its comment does not carry the dropskills_v2 ownership marker.',
                  HINT = 'Choose another target schema, or drop this one yourself.';
    END IF;
    PERFORM @extschema@.dskv2_require_trust(target);
    RETURN true;
END
$$;
