-- pgTAP: the update never adopts an untrusted target (docs/security.md, "Security check"). A
-- 0.1.0 installation with a migrated target, where a TRIGGER privilege on a V2 table was granted
-- to another role: ALTER EXTENSION dropskills_v2 UPDATE fails with 42501 naming it and leaves the
-- extension at 0.1.0; once revoked, the update goes through. And dskv2_security_check reports
-- what the trust check refuses, and what dskv2 did not put there.
\ir ../legacy_setup.psql
SELECT plan(12);
SELECT count(*) FROM dskv2_fixture.generate('S');
CREATE ROLE eve NOLOGIN;

DROP EXTENSION dropskills_v2;
CREATE EXTENSION dropskills_v2 VERSION '0.1.0';
SELECT count(*) FROM dskv2_migrate_all();
GRANT TRIGGER ON dropskills_v2.tags TO eve;
SELECT throws_ok($$ALTER EXTENSION dropskills_v2 UPDATE$$, '42501',
                 'dskv2: the update refuses target "dropskills_v2": table dropskills_v2.tags grants TRIGGER to eve',
                 'the update refuses a 0.1.0 target another role may put triggers on');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'dropskills_v2'), '0.1.0', '... and changes nothing');
REVOKE TRIGGER ON dropskills_v2.tags FROM eve;
SELECT lives_ok($$ALTER EXTENSION dropskills_v2 UPDATE$$, 'once revoked, the update goes through');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'dropskills_v2'), '0.2.0', '... to 0.2.0');
SELECT lives_ok($$SELECT dskv2_create_schema()$$, '... and dskv2_create_schema brings the target up to date');
SELECT is((SELECT count(*) FROM dskv2_security_check()), 0::bigint, 'a clean target: dskv2_security_check reports nothing');

-- What it reports.
GRANT REFERENCES ON dropskills_v2.users TO eve;
SELECT is((SELECT (severity, object, problem)::text FROM dskv2_security_check() LIMIT 1),
          '(refused,"table dropskills_v2.users","grants REFERENCES to eve")', 'a foreign privilege: refused');
REVOKE REFERENCES ON dropskills_v2.users FROM eve;
CREATE FUNCTION public.note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER note BEFORE INSERT ON dropskills_v2.tags FOR EACH ROW EXECUTE FUNCTION public.note();
SELECT is((SELECT (severity, object, problem)::text FROM dskv2_security_check()),
          '(warning,"trigger note on dropskills_v2.tags","runs public.note(), which is not a dropskills_v2 function")',
          'a trigger dskv2 did not attach: a warning (its function is the owner''s)');
DROP TRIGGER note ON dropskills_v2.tags;
CREATE POLICY everyone ON dropskills_v2.users FOR SELECT TO authenticated USING (true);
SELECT is((SELECT (severity, object)::text FROM dskv2_security_check()), '(warning,"policy everyone on dropskills_v2.users")',
          'a policy the security matrix does not define: a warning');
DROP POLICY everyone ON dropskills_v2.users;
GRANT EXECUTE ON FUNCTION dskv2_audit_suppress(boolean) TO service_role;
SELECT is((SELECT (severity, object, problem)::text FROM dskv2_security_check()),
          '(warning,"function public.dskv2_audit_suppress(boolean)","is executable by service_role, beyond the documented list")',
          'EXECUTE on an internal routine held by an API role: a warning');
REVOKE EXECUTE ON FUNCTION dskv2_audit_suppress(boolean) FROM service_role;
COMMENT ON SCHEMA dropskills_v2_private IS 'ours';
SELECT is((SELECT (severity, object)::text FROM dskv2_security_check() LIMIT 1), '(refused,"schema dropskills_v2_private")',
          'a companion schema without the marker: refused');
SELECT ok(NOT has_function_privilege('authenticated', 'dskv2_security_check(name)', 'EXECUTE'), 'it is for the DBA only');

SELECT * FROM finish();
ROLLBACK;
