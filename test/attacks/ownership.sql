-- pgTAP, routes 1 and 2 of docs/security.md, "Threat model", and their variants: trust comes
-- from ownership ("Trust from ownership"), never from the marker comment. The attacker, eve,
-- may create schemas in the database, is a member of authenticated and logs through a sequence
-- (a rolled-back call still shows) from a function that also tries to make her superuser.
-- Whatever she plants, the superuser's migration, the DBA entry points and the triggers'
-- identity switches refuse with 42501 naming her object, and nothing of hers ever runs.
\ir ../legacy_setup.psql
SELECT plan(29);
SELECT count(*) FROM dskv2_fixture.generate('S');

-- The marker is no secret: any role reads it off an existing target's comment.
SELECT dskv2_target_marker() AS marker \gset
CREATE ROLE eve NOLOGIN;
GRANT authenticated TO eve;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO eve', current_database()); END $$;
CREATE SEQUENCE public.eve_log;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE public.eve_log TO PUBLIC;
CREATE FUNCTION pg_temp.eve_ran() RETURNS bigint LANGUAGE sql AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.eve_log $$;
CREATE FUNCTION pg_temp.eve_is_superuser() RETURNS boolean LANGUAGE sql AS $$
    SELECT rolsuper FROM pg_roles WHERE rolname = 'eve' $$;
SET LOCAL ROLE eve;
CREATE SCHEMA eve_tools;
CREATE FUNCTION eve_tools.pwn() RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    PERFORM pg_catalog.nextval('public.eve_log');
    BEGIN
        ALTER ROLE eve SUPERUSER;
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    RETURN 1;
END
$$;
CREATE FUNCTION eve_tools.pwn_trigger() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    PERFORM eve_tools.pwn();
    RETURN NEW;
END
$$;
CREATE FUNCTION eve_tools.pwn_text() RETURNS text LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT pg_catalog.repeat('x', eve_tools.pwn()) $$;
GRANT USAGE ON SCHEMA eve_tools TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA eve_tools TO PUBLIC;
RESET ROLE;

-- ---------------------------------------------------------------------------------------------
-- Route 2: a target schema eve created first, with the marker and a users table of her own.
SET LOCAL ROLE eve;
CREATE SCHEMA dropskills_v2;
COMMENT ON SCHEMA dropskills_v2 IS :'marker';
CREATE TABLE dropskills_v2.users (id uuid PRIMARY KEY, email text);
CREATE TRIGGER pwn BEFORE INSERT ON dropskills_v2.users FOR EACH ROW EXECUTE FUNCTION eve_tools.pwn_trigger();
GRANT INSERT, SELECT ON dropskills_v2.users TO PUBLIC;
RESET ROLE;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42501',
                 'dskv2: schema "dropskills_v2" is owned by eve, not by the acting role supabase_admin',
                 'route 2: a superuser''s migration into a target eve created (with a forged marker) is refused');
SELECT is((SELECT count(*) FROM dropskills_v2.users), 0::bigint, '... no user row reaches her table');
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '42501', NULL, '... nor does dskv2_create_schema adopt it');
SELECT throws_ok($$SELECT * FROM dskv2_plan()$$, '42501', NULL, '... nor dskv2_plan read it');
SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2')$$, '42501', NULL,
                 '... nor dskv2_rollback drop it');
DROP SCHEMA dropskills_v2 CASCADE;

-- Route 2 via <target>_private: eve's is_admin() would say yes to everyone.
SET LOCAL ROLE eve;
CREATE SCHEMA dropskills_v2_private;
COMMENT ON SCHEMA dropskills_v2_private IS :'marker';
CREATE FUNCTION dropskills_v2_private.is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT eve_tools.pwn() > 0 $$;
GRANT USAGE ON SCHEMA dropskills_v2_private TO PUBLIC;
RESET ROLE;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42501',
                 'dskv2: schema "dropskills_v2_private" is owned by eve, not by the acting role supabase_admin',
                 'route 2: a migration next to a <target>_private eve planted is refused');
SELECT is(to_regnamespace('dropskills_v2'), NULL, '... before it creates anything');
SELECT is((SELECT proowner::regrole::text FROM pg_proc WHERE oid = to_regprocedure('dropskills_v2_private.is_admin()')),
          'eve', '... and her is_admin() is still hers, never adopted');
DROP SCHEMA dropskills_v2_private CASCADE;

-- ---------------------------------------------------------------------------------------------
-- A genuine target, then each way another role's code could come to run in it.
SELECT lives_ok($$SELECT * FROM dskv2_migrate_all()$$, 'a migration into a fresh target works');
SELECT is((SELECT count(*) FROM dskv2_trust_findings('dropskills_v2')), 0::bigint, '... and the target is trusted');

-- Route 1: dskv2_pack_file_url on a schema eve made look like a target. It
-- runs with its caller's rights (SECURITY INVOKER) and reads only an ordinary
-- table with the catalogue's column types: eve's view, or her type with an
-- implicit cast to uuid, never reaches her function, whoever calls it.
SET LOCAL ROLE eve;
CREATE SCHEMA evil;
COMMENT ON SCHEMA evil IS :'marker';
CREATE VIEW evil.pack_files AS SELECT p.id AS pack_id, eve_tools.pwn_text() AS file_url FROM dropskills_v2.packs p;
CREATE SCHEMA evil2;
COMMENT ON SCHEMA evil2 IS :'marker';
CREATE TYPE evil2.eid AS (v uuid);
CREATE FUNCTION evil2.to_uuid(evil2.eid) RETURNS uuid LANGUAGE sql AS $$SELECT eve_tools.pwn_text()::uuid$$;
CREATE CAST (evil2.eid AS uuid) WITH FUNCTION evil2.to_uuid(evil2.eid) AS IMPLICIT;
CREATE TABLE evil2.pack_files (pack_id evil2.eid, file_url text);
INSERT INTO evil2.pack_files SELECT ROW(p.id)::evil2.eid, 'x' FROM dropskills_v2.packs p;
RESET ROLE;
SET LOCAL ROLE authenticated;
SELECT throws_ok($$SELECT dskv2_pack_file_url((SELECT id FROM public.products LIMIT 1), 'evil')$$, '42P01', NULL,
                 'route 1: dskv2_pack_file_url reads no view of a schema its caller chose');
RESET ROLE;
SELECT throws_ok($$SELECT dskv2_pack_file_url((SELECT id FROM public.products LIMIT 1), 'evil')$$, '42P01', NULL,
                 '... not even for a superuser');
SELECT throws_ok($$SELECT dskv2_pack_file_url((SELECT id FROM public.products LIMIT 1), 'evil2')$$, '42804', NULL,
                 '... nor a table whose key is another role''s type (its cast would run as the caller)');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'dskv2_pack_file_url(uuid, name)'::regprocedure), false,
          '... and it runs with its caller''s rights');

-- A TRIGGER privilege granted by mistake: eve's trigger would run when dskv2 writes as the owner.
GRANT TRIGGER ON dropskills_v2.tags TO eve;
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '42501',
                 'dskv2: target "dropskills_v2" is not trusted: table dropskills_v2.tags grants TRIGGER to eve',
                 'another role holding TRIGGER on a target table: the DBA entry points refuse, naming it');
SELECT throws_ok($$INSERT INTO dropskills_v2.categories (id, name, slug) VALUES (990001, 'x', 'x-990001')$$, '42501', NULL,
                 '... and so does the audit trigger''s identity switch (the write is refused, not left unaudited)');
REVOKE TRIGGER ON dropskills_v2.tags FROM eve;
GRANT TRUNCATE ON dropskills_v2.admin_logs TO eve;
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '42501', NULL, '... TRUNCATE likewise');
REVOKE TRUNCATE ON dropskills_v2.admin_logs FROM eve;

-- A default the owner set to a function eve owns.
ALTER TABLE dropskills_v2.tags ALTER COLUMN name SET DEFAULT eve_tools.pwn_text();
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '42501',
                 'dskv2: target "dropskills_v2" is not trusted: function eve_tools.pwn_text() runs on a write to dropskills_v2.tags (a default) but is owned by eve',
                 'a function another role owns in a default of a target table: refused, naming it');
ALTER TABLE dropskills_v2.tags ALTER COLUMN name DROP DEFAULT;
-- ... in a CHECK, through an operator eve defined.
SET LOCAL ROLE eve;
CREATE FUNCTION eve_tools.eq(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT eve_tools.pwn() > 0 $$;
CREATE OPERATOR eve_tools.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = eve_tools.eq);
RESET ROLE;
ALTER TABLE dropskills_v2.tags ADD CONSTRAINT eve_check CHECK (name OPERATOR(eve_tools.===) name) NOT VALID;
SELECT throws_like($$SELECT dskv2_create_schema()$$, '%function eve_tools.eq(text,text) runs on a write to dropskills_v2.tags (a constraint)%',
                   '... or behind an operator of a CHECK');
ALTER TABLE dropskills_v2.tags DROP CONSTRAINT eve_check;

-- A table of eve's inside the target (CREATE on the schema granted by mistake).
GRANT CREATE ON SCHEMA dropskills_v2 TO eve;
SET LOCAL ROLE eve;
CREATE TABLE dropskills_v2.eve_notes (id int);
RESET ROLE;
SELECT throws_ok($$SELECT * FROM dskv2_verify_integrity()$$, '42501',
                 'dskv2: target "dropskills_v2" is not trusted: table dropskills_v2.eve_notes is owned by eve, not by supabase_admin',
                 'a relation another role owns inside the target: refused, naming it');
DROP TABLE dropskills_v2.eve_notes;
REVOKE CREATE ON SCHEMA dropskills_v2 FROM eve;

-- Superusers are not exempt: a target another role owns is that role's to manage.
CREATE ROLE dba NOLOGIN;
ALTER SCHEMA dropskills_v2 OWNER TO dba;
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '42501',
                 'dskv2: schema "dropskills_v2" is owned by dba, not by the acting role supabase_admin',
                 'a superuser acting on a target another role owns is refused');
ALTER SCHEMA dropskills_v2 OWNER TO CURRENT_USER;  -- back to the superuser running the test

-- ---------------------------------------------------------------------------------------------
-- Identity switches steered from outside: dskv2's trigger functions on eve's own tables.
GRANT EXECUTE ON FUNCTION dskv2_audit_trigger(), dskv2_sync_trigger(), dskv2_ai_usage_trigger() TO eve;
SET LOCAL ROLE eve;
CREATE TABLE eve_tools.notes (id uuid PRIMARY KEY, email text);
CREATE TRIGGER forged_audit AFTER INSERT ON eve_tools.notes FOR EACH ROW
    EXECUTE FUNCTION dskv2_audit_trigger('dropskills_v2');
CREATE TRIGGER forged_ai AFTER INSERT ON eve_tools.notes FOR EACH ROW
    EXECUTE FUNCTION dskv2_ai_usage_trigger('dropskills_v2');
RESET ROLE;
SELECT throws_ok($$SET LOCAL ROLE eve; INSERT INTO eve_tools.notes VALUES (gen_random_uuid(), 'x')$$, '42501', NULL,
                 'the audit trigger on a table outside its target refuses to write as the target''s owner');
RESET ROLE;
SET LOCAL ROLE eve;
DROP TRIGGER forged_audit ON eve_tools.notes;
SET LOCAL dskv2.ai_tool = 'resume';
RESET ROLE;
SELECT throws_ok($$SET LOCAL ROLE eve; INSERT INTO eve_tools.notes VALUES (gen_random_uuid(), 'x')$$, '42501', NULL,
                 '... so does the AI-usage trigger');
RESET ROLE;
RESET dskv2.ai_tool;
-- A live sync trigger on eve's copy of a legacy table, pointing at the real source or at hers.
SET LOCAL ROLE eve;
DROP TRIGGER forged_ai ON eve_tools.notes;
CREATE TABLE eve_tools.products (LIKE public.products INCLUDING DEFAULTS);
INSERT INTO eve_tools.products (id, title) VALUES ('00000000-0000-4000-8000-00000000eeef', 'eve');
CREATE TRIGGER forged_sync AFTER INSERT ON eve_tools.products FOR EACH ROW
    EXECUTE FUNCTION dskv2_sync_trigger('dropskills_v2', 'eve_tools', '1');
CREATE TRIGGER forged_sync_public AFTER UPDATE ON eve_tools.products FOR EACH ROW
    EXECUTE FUNCTION dskv2_sync_trigger('dropskills_v2', 'public', '1');
RESET ROLE;
SELECT throws_like($$SET LOCAL ROLE eve; INSERT INTO eve_tools.products (id, title) VALUES ('00000000-0000-4000-8000-00000000eeee', 'eve')$$,
                   '%live sync of eve_tools.products into "dropskills_v2" was not registered by the target''s owner%',
                   'a live sync trigger the target''s owner did not register never writes V2');
RESET ROLE;
SELECT throws_like($$SET LOCAL ROLE eve; UPDATE eve_tools.products SET title = 'eve 2'$$,
                   '%names source "public", which is not the schema of its table%',
                   '... nor one whose arguments name another schema''s source');
RESET ROLE;
SELECT is((SELECT count(*) FROM dropskills_v2.packs WHERE title LIKE 'eve%'), 0::bigint, '... so none of eve''s rows reach V2');
SELECT is((SELECT count(*) FROM dropskills_v2.admin_logs WHERE table_name = 'notes'), 0::bigint,
          '... and none of her rows reach the audit log');

SELECT is(pg_temp.eve_ran(), 0::bigint, 'eve''s code never ran, under any role');
SELECT is(pg_temp.eve_is_superuser(), false, 'eve is not superuser');

SELECT * FROM finish();
ROLLBACK;
