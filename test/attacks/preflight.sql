-- pgTAP: the preflight (docs/security.md, "Preflight") for a DBA that is not a superuser, as
-- `postgres` is on Supabase: it owns the legacy tables of public, but auth.users belongs to
-- supabase_auth_admin. dskv2_preflight names, for each step, what is missing, who can give it
-- and the statement; the migration runs as that DBA; live sync refuses (42501) before attaching
-- any trigger, since it could not drop the one on auth.users later, and so does the switch (its
-- auth path keeps a sync trigger there); a DBA without BYPASSRLS is told before the migration
-- refuses to read auth.users under its row level security.
\ir ../legacy_setup.psql
SELECT plan(18);
SELECT count(*) FROM dskv2_fixture.generate('S');

-- BYPASSRLS, as postgres has on Supabase: auth.users has row level security and no policy.
CREATE ROLE dba NOLOGIN BYPASSRLS;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO dba', r.rel);
    END LOOP;
    EXECUTE format('GRANT CREATE ON DATABASE %I TO dba', current_database());
END $$;
ALTER TABLE auth.users OWNER TO supabase_auth_admin;
GRANT USAGE ON SCHEMA auth TO dba;
-- The README's grants of the extension's routines come first (the preflight calls internal ones).
DO $$
DECLARE r regprocedure;
BEGIN
    FOR r IN SELECT d.objid::regprocedure FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
              WHERE e.extname = 'dropskills_v2' AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e' LOOP
        EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO dba', r);
    END LOOP;
END $$;

-- Without BYPASSRLS first: auth.users is under row level security, and not the DBA's.
ALTER ROLE dba NOBYPASSRLS;
SET LOCAL ROLE dba;
SELECT is((SELECT string_agg(format('%s %s', object, privilege), '; ' ORDER BY object, privilege)
             FROM dskv2_preflight() WHERE step = 'migrate' AND NOT ok AND privilege LIKE 'BYPASSRLS%'),
          'auth.users BYPASSRLS (row level security is on, and not as its owner)',
          'preflight as a DBA without BYPASSRLS: auth.users (the legacy tables under RLS are its own)');
SELECT is((SELECT grantor || ' | ' || statement FROM dskv2_preflight() WHERE step = 'migrate' AND privilege LIKE 'BYPASSRLS%' AND NOT ok),
          'supabase_admin (superuser) | ALTER ROLE dba BYPASSRLS;', '... only a superuser can give it');
RESET ROLE;
ALTER TABLE public.profiles FORCE ROW LEVEL SECURITY;
SET LOCAL ROLE dba;
SELECT is((SELECT string_agg(object, ', ' ORDER BY object) FROM dskv2_preflight() WHERE step = 'migrate' AND NOT ok AND privilege LIKE 'BYPASSRLS%'),
          'auth.users, public.profiles', '... nor does its own table when it forces row level security');
RESET ROLE;
ALTER TABLE public.profiles NO FORCE ROW LEVEL SECURITY;
ALTER ROLE dba BYPASSRLS;
SET LOCAL ROLE dba;
SELECT is((SELECT count(*) FROM dskv2_preflight() WHERE step = 'migrate' AND privilege LIKE 'BYPASSRLS%' AND NOT ok), 0::bigint,
          '... with BYPASSRLS, as postgres has on Supabase, nothing is missing there');
SELECT is((SELECT string_agg(format('%s %s %s', step, object, privilege), '; ' ORDER BY step, object, privilege)
             FROM dskv2_preflight() WHERE step = 'migrate' AND NOT ok),
          'migrate auth.users REFERENCES; migrate auth.users SELECT',
          'preflight as a DBA without rights on auth.users: each missing privilege of the migration');
SELECT is((SELECT grantor || ' | ' || statement FROM dskv2_preflight() WHERE step = 'migrate' AND object = 'auth.users' AND privilege = 'SELECT'),
          'supabase_auth_admin (owner), supabase_admin (superuser) | GRANT SELECT ON auth.users TO dba;',
          '... who can give it and the statement');
RESET ROLE;
GRANT SELECT, REFERENCES ON auth.users TO dba;
SET LOCAL ROLE dba;
SELECT is((SELECT count(*) FROM dskv2_preflight() WHERE step = 'migrate' AND NOT ok), 0::bigint,
          'once granted, nothing is missing for the migration');
SELECT lives_ok($$SELECT * FROM dskv2_migrate_all()$$, '... and it runs as the DBA');
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'dropskills_v2'), 'dba', '... which owns the target');
SELECT ok((SELECT bool_and(ok) FROM dskv2_verify_integrity()), '... and it verifies');
SELECT is((SELECT string_agg(format('%s %s', object, ok), ', ' ORDER BY object) FROM dskv2_preflight() WHERE step = 'sync' AND NOT ok),
          'auth.users f', 'live sync: the DBA could not drop a trigger on auth.users later');
SELECT is((SELECT grantor FROM dskv2_preflight() WHERE step = 'sync' AND object = 'auth.users'),
          'supabase_admin (superuser)', '... and only a superuser could make it a member of supabase_auth_admin');
SELECT throws_ok($$SELECT dskv2_sync_enable()$$, '42501',
                 'dskv2: sync needs ownership (to create and later drop its triggers) on auth.users, which role dba does not have',
                 'dskv2_sync_enable refuses before attaching anything');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dskv2_sync%'), 0::bigint, '... no trigger attached');
SELECT is((SELECT string_agg(object, ', ' ORDER BY object) FROM dskv2_preflight() WHERE step = 'cutover' AND NOT ok),
          'auth.users', 'the switch: the auth path keeps a sync trigger on auth.users, which the DBA could not drop');
SELECT throws_ok($$SELECT * FROM dskv2_cutover()$$, '42501',
                 'dskv2: cutover needs ownership (to create and later drop its triggers) on auth.users, which role dba does not have',
                 'dskv2_cutover refuses before locking or attaching anything');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dskv2_%' AND tgrelid::regclass::text NOT LIKE 'dropskills_v2.%'), 0::bigint,
          '... no guard, no trigger on a legacy table');
SELECT is((SELECT count(*) FROM dskv2_preflight() WHERE step = 'rollback' AND NOT ok), 0::bigint,
          'the rollback needs nothing more: the DBA owns the target');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
