-- pgTAP, route 5 of docs/security.md, "Threat model": the default privileges of Supabase's
-- extensions schema grant EXECUTE on every new function to anon, authenticated and
-- service_role. Created there, the extension revokes it from all three (and PUBLIC) and grants
-- back exactly the list of docs/security.md, "Who may execute what"; service_role then cannot
-- silence the audit or block migrations. And no SECURITY DEFINER routine at all.
\ir ../legacy_setup.psql
SELECT plan(8);

-- The extension again, in a schema with Supabase's default privileges.
DROP EXTENSION dropskills_v2;
CREATE SCHEMA ext_dp;
GRANT USAGE ON SCHEMA ext_dp TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA ext_dp GRANT EXECUTE ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA ext_dp GRANT ALL ON TABLES TO anon, authenticated, service_role;
CREATE EXTENSION dropskills_v2 SCHEMA ext_dp;
SET LOCAL search_path = public, ext_dp;

-- routines(): every routine of the extension, with whether ROLE may execute it.
CREATE FUNCTION pg_temp.executable_by(who text) RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(p.proname::text ORDER BY p.proname), '{}')
      FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
     WHERE CASE WHEN who = 'public' THEN EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                                                  WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
                ELSE has_function_privilege(who, p.oid, 'EXECUTE') END $$;

SELECT is(pg_temp.executable_by('public'), ARRAY['dskv2_detect_sample_type', 'dskv2_slugify'],
          'PUBLIC may execute the two text functions, nothing else');
SELECT is(pg_temp.executable_by('anon'), ARRAY['dskv2_detect_sample_type', 'dskv2_pack_file_url', 'dskv2_slugify'],
          'anon: the text functions and dskv2_pack_file_url, whatever the default privileges granted');
SELECT is(pg_temp.executable_by('authenticated'), ARRAY['dskv2_detect_sample_type', 'dskv2_pack_file_url', 'dskv2_slugify'],
          'authenticated: the same');
SELECT is(pg_temp.executable_by('service_role'),
          ARRAY['dskv2_detect_sample_type', 'dskv2_pack_file_url', 'dskv2_slugify', 'dskv2_track_ai_usage'],
          'service_role: the same and the AI metering (it writes with service_role''s rights), nothing internal');
SELECT ok(NOT has_table_privilege('service_role', 'ext_dp.dskv2_progress', 'SELECT')
          AND NOT has_table_privilege('anon', 'ext_dp.dskv2_progress', 'SELECT'),
          'the progress view is the DBA''s alone');

-- What service_role tried with the default privileges of 0.1.0.
SET LOCAL ROLE service_role;
SELECT throws_ok($$SELECT ext_dp.dskv2_audit_suppress(true)$$, '42501', NULL,
                 'service_role cannot silence the audit trigger');
SELECT throws_ok($$SELECT ext_dp.dskv2_session_lock(1685285682, 1, true)$$, '42501', NULL,
                 'service_role cannot take the migration lock');
RESET ROLE;

SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
                 WHERE p.prosecdef ORDER BY 1), ARRAY[]::text[],
          'no SECURITY DEFINER routine in the extension');

SELECT * FROM finish();
ROLLBACK;
