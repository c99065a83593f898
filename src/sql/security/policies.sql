-- The policies of `target` (internal): one row per policy.
--   table, policy name, command, roles, USING, WITH CHECK
-- `$admin` stands for the admin helper call, `$uid` for (select auth.uid()).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_policies()
RETURNS TABLE (table_name pg_catalog.text, policy_name pg_catalog.text, command pg_catalog.text,
               roles pg_catalog.text, using_expr pg_catalog.text, check_expr pg_catalog.text)
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    VALUES
    ('packs', 'packs_read_published', 'SELECT', 'anon, authenticated', 'status = ''published''', NULL),
    ('packs', 'packs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('packs', 'packs_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('packs', 'packs_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('packs', 'packs_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('categories', 'categories_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('tags', 'tags_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('pack_tags', 'pack_tags_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('samples', 'samples_read_published', 'SELECT', 'anon, authenticated',
     'EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = ''published'')', NULL),
    ('samples', 'samples_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('pack_stats', 'pack_stats_read_published', 'SELECT', 'anon, authenticated',
     'EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = ''published'')', NULL),
    ('pack_stats', 'pack_stats_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('users', 'users_read_own', 'SELECT', 'authenticated', 'id = $uid', NULL),
    ('users', 'users_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('users', 'users_update_own', 'UPDATE', 'authenticated', 'id = $uid', 'id = $uid'),
    ('users', 'users_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('users', 'users_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('users', 'users_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('favorites', 'favorites_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('favorites', 'favorites_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('favorites', 'favorites_insert_own', 'INSERT', 'authenticated', NULL, 'user_id = $uid'),
    ('favorites', 'favorites_delete_own', 'DELETE', 'authenticated', 'user_id = $uid', NULL),
    ('user_packs', 'user_packs_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('user_packs', 'user_packs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('user_packs', 'user_packs_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('user_packs', 'user_packs_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('user_packs', 'user_packs_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('ai_tools', 'ai_tools_read_active', 'SELECT', 'authenticated', 'is_active', NULL),
    ('ai_tools', 'ai_tools_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('ai_tools', 'ai_tools_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('ai_tools', 'ai_tools_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('ai_tools', 'ai_tools_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('ai_usage', 'ai_usage_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('ai_usage', 'ai_usage_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('trending_ideas', 'trending_ideas_read', 'SELECT', 'authenticated', 'true', NULL),
    ('admin_logs', 'admin_logs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_runs', 'migration_runs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_rejects', 'migration_rejects_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_state', 'migration_state_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_merges', 'migration_merges_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('verify_diffs', 'verify_diffs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('trigger_settings', 'trigger_settings_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('ai_usage_daily', 'ai_usage_daily_admin_read', 'SELECT', 'authenticated', '$admin', NULL)
    -- admin "all" on the writable content tables:
    UNION ALL
    SELECT t, t || '_admin_' || lower(c), c, 'authenticated',
           CASE WHEN c = 'INSERT' THEN NULL ELSE '$admin' END, CASE WHEN c IN ('INSERT', 'UPDATE') THEN '$admin' END
      FROM unnest(ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats', 'trending_ideas']) t,
           unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) c
$$;
