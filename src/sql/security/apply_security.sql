-- Row level security, grants and policies of `target` (docs/security.md),
-- from the catalogue's security matrix (dskv2_catalog_security). Idempotent,
-- and cheap when all is in place: grants are set again (no table lock), while
-- RLS and policies are created only when missing, under a short lock_timeout
-- with retries (they lock the table), so a catch-up run never queues behind
-- the application.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_apply_security(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    t record;
    p record;
    g record;
    private pg_catalog.name := @extschema@.dskv2_private_schema(target);
    supabase pg_catalog.bool;
    admin_call pg_catalog.text;
    uid_call pg_catalog.text := '(SELECT auth.uid())';
    expr_using pg_catalog.text;
    expr_check pg_catalog.text;
    api_role pg_catalog.text;
BEGIN
    supabase := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon')
                AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated')
                AND pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL;

    -- Every table: RLS on, and nothing granted that this function does not grant.
    FOR t IN SELECT c.table_name, c.service_role FROM @extschema@.dskv2_catalog_tables() c ORDER BY c.ord LOOP
        IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c
                 WHERE c.oid = pg_catalog.format('%I.%I', target, t.table_name)::pg_catalog.regclass) THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(
                pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', target, t.table_name),
                pg_catalog.format('table %I.%I', target, t.table_name));
        END IF;
        EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM PUBLIC', target, t.table_name);
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
                EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM %I', target, t.table_name, api_role);
            END IF;
        END LOOP;
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        -- The backend's key: every table (admin_logs append-only).
        EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO service_role', target);
        FOR t IN SELECT c.table_name, c.service_role FROM @extschema@.dskv2_catalog_tables() c ORDER BY c.ord LOOP
            EXECUTE pg_catalog.format('GRANT %s ON %I.%I TO service_role', t.service_role, target, t.table_name);
        END LOOP;
        EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO service_role', target);
    END IF;
    -- dskv2_pack_file_url, for API roles created after CREATE EXTENSION too.
    PERFORM @extschema@.dskv2_grant_pack_file_url();
    IF NOT supabase THEN
        RETURN;  -- plain PostgreSQL: RLS on, owner access only.
    END IF;

    -- The admin helper, outside the API's reach, in <target>_private (made by
    -- dskv2_create_tables, marked like the target). It runs as the target's
    -- owner (SECURITY DEFINER, to read users under RLS) and so calls nothing
    -- another role owns: it reads the request's claims itself, as auth.uid()
    -- does, with pg_catalog's functions only.
    IF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)), 'pg_namespace')
          IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', private
            USING ERRCODE = '42P06',
                  HINT = 'dskv2_create_schema keeps the admin helper of a target in <target>_private.';
    END IF;
    EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', private);
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO authenticated', private);
    EXECUTE pg_catalog.format($f$
        CREATE OR REPLACE FUNCTION %1$I.is_admin() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS 'SELECT EXISTS (
                SELECT 1 FROM %2$I.users u
                 WHERE u.role OPERATOR(pg_catalog.=) ''admin''::pg_catalog.text
                   AND u.id OPERATOR(pg_catalog.=) (
                       SELECT CASE WHEN c.sub OPERATOR(pg_catalog.~) ''^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$''
                                   THEN c.sub::pg_catalog.uuid END
                         FROM (SELECT COALESCE(
                                   NULLIF(pg_catalog.current_setting(''request.jwt.claim.sub'', true), ''''),
                                   NULLIF(pg_catalog.current_setting(''request.jwt.claims'', true), '''')::pg_catalog.jsonb
                                       OPERATOR(pg_catalog.->>) ''sub'') AS sub) c))'$f$,
        private, target);
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION %I.is_admin() IS %L', private,
        'dropskills_v2: true when the requesting user is a V2 admin (policies of ' || target || ')');
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %I.is_admin() FROM PUBLIC, anon', private);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %I.is_admin() TO authenticated', private);
    admin_call := pg_catalog.format('(SELECT %I.is_admin())', private);

    -- Grants: explicit, per role; per column where a column is hidden.
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO anon, authenticated', target);
    FOR g IN SELECT x.* FROM @extschema@.dskv2_catalog_security() x
               JOIN @extschema@.dskv2_catalog_tables() c ON c.table_name = x.table_name
              WHERE x.kind = 'grant' ORDER BY c.ord LOOP
        EXECUTE pg_catalog.format('GRANT %s%s ON %I.%I TO %s', g.privileges,
                                  CASE WHEN g.columns IS NOT NULL THEN ' (' || g.columns || ')' ELSE '' END,
                                  target, g.table_name, g.roles);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO authenticated', target);

    -- Policies: the missing ones (a policy a DBA changed is left as it is).
    FOR p IN SELECT d.* FROM @extschema@.dskv2_catalog_security() d
              WHERE d.kind = 'policy' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy pp
                                 WHERE pp.polrelid = pg_catalog.format('%I.%I', target, d.table_name)::pg_catalog.regclass
                                   AND pp.polname = d.policy_name) LOOP
        expr_using := replace(replace(replace(p.using_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        expr_check := replace(replace(replace(p.check_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('CREATE POLICY %I ON %I.%I AS PERMISSIVE FOR %s TO %s%s%s',
            p.policy_name, target, p.table_name, p.privileges, p.roles,
            CASE WHEN expr_using IS NOT NULL THEN ' USING (' || expr_using || ')' ELSE '' END,
            CASE WHEN expr_check IS NOT NULL THEN ' WITH CHECK (' || expr_check || ')' ELSE '' END),
            pg_catalog.format('table %I.%I', target, p.table_name));
    END LOOP;
END
$$;
