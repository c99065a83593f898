CREATE OR REPLACE FUNCTION @extschema@.dskv2_apply_security(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    t pg_catalog.text;
    p record;
    private pg_catalog.name := @extschema@.dskv2_private_schema(target);
    supabase pg_catalog.bool;
    admin_call pg_catalog.text;
    uid_call pg_catalog.text := '(SELECT auth.uid())';
    expr_using pg_catalog.text;
    expr_check pg_catalog.text;
    all_tables pg_catalog.text[] := ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'favorites',
        'user_packs', 'pack_stats', 'ai_tools', 'ai_usage', 'admin_logs', 'trending_ideas', 'migration_runs',
        'migration_rejects', 'migration_state', 'migration_merges', 'verify_diffs', 'trigger_settings',
        'ai_usage_daily'];
    api_role pg_catalog.text;
BEGIN
    supabase := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon')
                AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated')
                AND pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL;

    -- Every table: RLS on, and nothing granted that this function does not grant.
    FOREACH t IN ARRAY all_tables LOOP
        IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c
                 WHERE c.oid = pg_catalog.format('%I.%I', target, t)::pg_catalog.regclass) THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(
                pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', target, t));
        END IF;
        EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM PUBLIC', target, t);
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
                EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM %I', target, t, api_role);
            END IF;
        END LOOP;
    END LOOP;
    -- The policy columns are indexed (keys cover users.id, favorites.user_id,
    -- user_packs.user_id, pack_stats.pack_id; these cover the rest).
    FOR p IN SELECT * FROM (VALUES ('packs_status_idx', 'packs', 'status'),
                                   ('ai_tools_is_active_idx', 'ai_tools', 'is_active')) AS i (idx, tbl, col) LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, p.idx)) IS NULL THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(
                pg_catalog.format('CREATE INDEX %I ON %I.%I (%I)', p.idx, target, p.tbl, p.col));
        END IF;
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        -- The backend's key: every table, admin_logs append-only.
        EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO service_role', target);
        FOREACH t IN ARRAY all_tables LOOP
            IF t = 'admin_logs' THEN
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %I.%I TO service_role', target, t);
            ELSE
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO service_role', target, t);
            END IF;
        END LOOP;
        EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO service_role', target);
    END IF;
    -- dskv2_pack_file_url, for API roles created after CREATE EXTENSION too.
    PERFORM @extschema@.dskv2_grant_pack_file_url();
    IF NOT supabase THEN
        RETURN;  -- plain PostgreSQL: RLS on, owner access only.
    END IF;

    -- The admin helper, outside the API's reach, in a schema dskv2 creates
    -- and marks (one it did not create is refused, like a target).
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)) IS NULL THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', private);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', private, @extschema@.dskv2_target_marker());
    ELSIF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)), 'pg_namespace')
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
        AS 'SELECT EXISTS (SELECT 1 FROM %2$I.users u WHERE u.id OPERATOR(pg_catalog.=) (SELECT auth.uid())
                                                      AND u.role OPERATOR(pg_catalog.=) ''admin''::pg_catalog.text)'$f$,
        private, target);
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION %I.is_admin() IS %L', private,
        'dropskills_v2: true when the requesting user is a V2 admin (policies of ' || target || ')');
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %I.is_admin() FROM PUBLIC, anon', private);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %I.is_admin() TO authenticated', private);
    admin_call := pg_catalog.format('(SELECT %I.is_admin())', private);

    -- Grants: explicit, per role; per column where a column is hidden.
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO anon, authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT (id, slug, title, description, price, category_id, cover_url, format, language,
                                             is_premium, status, author_id, created_at, updated_at)
                               ON %I.packs TO anon, authenticated', target);
    FOREACH t IN ARRAY ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats'] LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO anon, authenticated', target, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats', 'packs', 'trending_ideas',
                             'user_packs', 'ai_tools'] LOOP
        EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %I.%I TO authenticated', target, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['trending_ideas', 'user_packs', 'ai_usage', 'admin_logs', 'migration_runs',
                             'migration_rejects', 'migration_state', 'migration_merges', 'verify_diffs',
                             'trigger_settings', 'ai_usage_daily'] LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO authenticated', target, t);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT SELECT, DELETE ON %I.users TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT INSERT ON %I.users TO authenticated', target);
    -- Users change their own name and avatar, never their role or subscription.
    EXECUTE pg_catalog.format('GRANT UPDATE (full_name, avatar_url) ON %I.users TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT, INSERT, DELETE ON %I.favorites TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT (id, slug, name, provider, model, is_active, daily_quota, input_price_per_1k,
                                             output_price_per_1k, created_at)
                               ON %I.ai_tools TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO authenticated', target);

    -- Policies: the missing ones (a policy a DBA changed is left as it is).
    FOR p IN SELECT d.* FROM @extschema@.dskv2_policies() d
              WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy pp
                                 WHERE pp.polrelid = pg_catalog.format('%I.%I', target, d.table_name)::pg_catalog.regclass
                                   AND pp.polname = d.policy_name) LOOP
        expr_using := replace(replace(replace(p.using_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        expr_check := replace(replace(replace(p.check_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('CREATE POLICY %I ON %I.%I AS PERMISSIVE FOR %s TO %s%s%s',
            p.policy_name, target, p.table_name, p.command, p.roles,
            CASE WHEN expr_using IS NOT NULL THEN ' USING (' || expr_using || ')' ELSE '' END,
            CASE WHEN expr_check IS NOT NULL THEN ' WITH CHECK (' || expr_check || ')' ELSE '' END));
    END LOOP;
END
$$;
