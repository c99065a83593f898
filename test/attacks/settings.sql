-- pgTAP, attacks through session settings and the search_path (docs/security.md, "Threat model",
-- routes 3 and 4, and "Pinned settings"). The attacker, eve, has CREATE on public and owns a
-- legacy table; she plants exact-match operators in public and a function that logs through a
-- sequence (a rolled-back call still shows) and tries to make herself superuser. The DBA's
-- session and eve's own carry hostile settings (search_path with public before pg_catalog,
-- standard_conforming_strings off, other formats); a legacy column name carries an injection.
-- Every entry point and trigger runs anyway, nothing of eve's runs, and the results are right.
\ir ../legacy_setup.psql
SELECT plan(25);
SELECT count(*) FROM dskv2_fixture.generate('S');

-- ---------------------------------------------------------------------------------------------
-- eve and her traps.
CREATE ROLE eve NOLOGIN;
GRANT CREATE ON SCHEMA public TO eve;
CREATE SEQUENCE public.eve_log;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE public.eve_log TO PUBLIC;
SET LOCAL ROLE eve;
CREATE FUNCTION public.eve_pwn() RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog AS $$
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
GRANT EXECUTE ON FUNCTION public.eve_pwn() TO PUBLIC;
-- Exact-match operators for the type pairs dskv2's code uses, each calling eve_pwn() and then
-- doing the real work (so that a hijacked statement still succeeds and the hijack would go
-- unnoticed without the log).
CREATE FUNCTION public.eve_op(a anycompatible, b anycompatible, op text) RETURNS boolean LANGUAGE plpgsql
SET search_path = pg_catalog AS $$
DECLARE r boolean;
BEGIN
    PERFORM public.eve_pwn();
    EXECUTE pg_catalog.format('SELECT $1 OPERATOR(pg_catalog.%s) $2', op) INTO r USING a, b;
    RETURN r;
END
$$;
CREATE FUNCTION public.eve_eq_text(a text, b text) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '=') $$;
CREATE FUNCTION public.eve_ne_text(a text, b text) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '<>') $$;
CREATE FUNCTION public.eve_eq_uuid(a uuid, b uuid) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '=') $$;
CREATE FUNCTION public.eve_eq_name(a name, b name) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '=') $$;
CREATE FUNCTION public.eve_lt_int(a integer, b integer) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '<') $$;
CREATE FUNCTION public.eve_ge_int8(a bigint, b bigint) RETURNS boolean LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT public.eve_op(a, b, '>=') $$;
CREATE FUNCTION public.eve_add_int8(a bigint, b integer) RETURNS bigint LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.+) b OPERATOR(pg_catalog.+) public.eve_pwn() OPERATOR(pg_catalog.-) 1 $$;
CREATE FUNCTION public.eve_mul_num(a numeric, b bigint) RETURNS numeric LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT a OPERATOR(pg_catalog.*) b OPERATOR(pg_catalog.*) public.eve_pwn() $$;
CREATE FUNCTION public.eve_get_jsonb(a jsonb, b text) RETURNS text LANGUAGE sql SET search_path = pg_catalog
AS $$ SELECT (a OPERATOR(pg_catalog.->>) b) OPERATOR(pg_catalog.||) pg_catalog.repeat('', public.eve_pwn()) $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.eve_eq_text);
CREATE OPERATOR public.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = public.eve_ne_text);
CREATE OPERATOR public.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = public.eve_eq_uuid);
CREATE OPERATOR public.= (LEFTARG = name, RIGHTARG = name, FUNCTION = public.eve_eq_name);
CREATE OPERATOR public.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.eve_lt_int);
CREATE OPERATOR public.>= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.eve_ge_int8);
CREATE OPERATOR public.+ (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = public.eve_add_int8);
CREATE OPERATOR public.* (LEFTARG = numeric, RIGHTARG = bigint, FUNCTION = public.eve_mul_num);
CREATE OPERATOR public.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = public.eve_get_jsonb);
RESET ROLE;
-- The test's own statements, pgTAP's among them, run with pg_catalog first: eve's operators
-- are for dskv2's code, not for the assertions (the cluster's default search_path may put
-- public first: scripts/test.sh runs the suite on such a cluster too).
SET LOCAL search_path = pg_catalog, public;

-- The traps work: a statement written with bare operators under eve's search_path runs her code
-- (here eve's own statement: as a superuser's, it would have made her one).
SET LOCAL ROLE eve;
SET LOCAL search_path = public, pg_catalog;
SELECT 'a'::text = 'a'::text;
SET LOCAL search_path = pg_catalog, public;
RESET ROLE;
SELECT ok((SELECT is_called FROM public.eve_log), 'the planted operator runs when an unpinned statement meets it');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'eve'), 'run by a non-superuser, it gains nothing');
CREATE TEMP TABLE eve_mark AS SELECT nextval('public.eve_log') AS v;
-- eve_ran(): eve's function ran since the mark.
CREATE FUNCTION pg_temp.eve_ran() RETURNS boolean LANGUAGE sql AS $$
    SELECT l.last_value > m.v FROM public.eve_log l, pg_temp.eve_mark m $$;

-- Route 4's column name: a backslash that would end its literal where
-- standard_conforming_strings is off, in a legacy table eve owns.
ALTER TABLE public.profiles ADD COLUMN "\', public.eve_pwn())),NULL) AS legacy --" text DEFAULT 'x';
ALTER TABLE public.profiles OWNER TO eve;

-- The generator quotes it as the server does (E'...', the backslash doubled): the literal reads
-- the same under both values of standard_conforming_strings.
SELECT ok(position(quote_literal(E'\\'', public.eve_pwn())),NULL) AS legacy --')
                   IN dskv2_mapping_sql('auth.users', 'plan', 'public', 'dropskills_v2', 0, 'pending')) > 0,
          'a legacy column name is quoted by the server''s quote_literal, E''...'' form');

-- ---------------------------------------------------------------------------------------------
-- The DBA's session: every hostile value at once.
-- :hostile: the settings a database owner can make the default of every session (ALTER DATABASE
-- ... SET), for the rest of the transaction; RESET ALL puts the cluster's defaults back (not the
-- role), and the test's own search_path follows it.
\set hostile 'SELECT count(*) FROM (SELECT set_config(\'search_path\', \'public, pg_catalog\', true), set_config(\'standard_conforming_strings\', \'off\', true), set_config(\'transform_null_equals\', \'on\', true), set_config(\'array_nulls\', \'off\', true), set_config(\'TimeZone\', \'Pacific/Chatham\', true), set_config(\'DateStyle\', \'SQL, DMY\', true), set_config(\'IntervalStyle\', \'sql_standard\', true), set_config(\'bytea_output\', \'escape\', true), set_config(\'extra_float_digits\', \'-15\', true), set_config(\'escape_string_warning\', \'off\', true)) s'

:hostile;
SELECT count(*) AS planned FROM dskv2_plan() \gset
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
SET LOCAL client_min_messages = warning;
SELECT is(:planned::int, 9, 'dskv2_plan runs under hostile settings');
SELECT ok(NOT pg_temp.eve_ran(), 'dskv2_plan: nothing of eve''s ran (planted operators, the column name)');

:hostile;
SELECT count(*) AS migrated FROM dskv2_migrate_all() \gset
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
SET LOCAL client_min_messages = warning;
SELECT is(:migrated::int, 9, 'dskv2_migrate_all runs under hostile settings');
SELECT ok(NOT pg_temp.eve_ran(), 'dskv2_migrate_all: nothing of eve''s ran');
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE legacy ? E'\\'', public.eve_pwn())),NULL) AS legacy --'),
          (SELECT count(*)::int FROM dropskills_v2.users WHERE legacy IS NOT NULL AND legacy <> '{}'),
          'the injected column name is a key of users.legacy like any unknown column');

:hostile;
SELECT count(*) FILTER (WHERE NOT ok) AS failing FROM dskv2_verify_integrity() \gset
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
SET LOCAL client_min_messages = warning;
SELECT is(:failing::int, 0, 'dskv2_verify_integrity under hostile settings: every check ok');
SELECT ok(NOT pg_temp.eve_ran(), 'dskv2_verify_integrity: nothing of eve''s ran');
-- The migration's dates and timestamps were read as ISO in UTC, not as the session said.
SELECT is((SELECT count(*)::int FROM dropskills_v2.users u JOIN auth.users a ON a.id = u.id WHERE u.created_at <> a.created_at),
          0, 'timestamps copied unchanged under a hostile TimeZone and DateStyle');

:hostile;
SELECT dskv2_sync_enable();
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
SET LOCAL client_min_messages = warning;
SELECT ok(NOT pg_temp.eve_ran(), 'dskv2_sync_enable: nothing of eve''s ran');

-- eve writes her legacy table in her own hostile session: the sync trigger maps the row as the
-- target's owner with the pinned settings.
SELECT a.id AS eve_user FROM auth.users a ORDER BY a.id LIMIT 1 \gset
SET LOCAL ROLE eve;
:hostile;
UPDATE public.profiles SET full_name = 'Ève Pirate' WHERE id OPERATOR(pg_catalog.=) :'eve_user';
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
RESET ROLE;
SET LOCAL client_min_messages = warning;
SELECT ok(NOT pg_temp.eve_ran(), 'the sync trigger, fired by eve''s hostile session: nothing of eve''s ran');
SELECT is((SELECT full_name FROM dropskills_v2.users WHERE id = :'eve_user'), 'Ève Pirate',
          'and the change reached V2');

-- The audit trigger and the metering, fired from a hostile session.
SELECT id AS a_pack FROM dropskills_v2.packs ORDER BY id LIMIT 1 \gset
INSERT INTO dropskills_v2.ai_tools (slug, name, daily_quota) VALUES ('resume', 'Résumé', 5);
:hostile;
UPDATE dropskills_v2.packs SET title = title || ' (édition)' WHERE id OPERATOR(pg_catalog.=) :'a_pack';
SELECT dskv2_track_ai_usage('resume', :'eve_user', 10, 20) AS usage_id \gset
RESET ALL;
SET LOCAL search_path = pg_catalog, public;
SET LOCAL client_min_messages = warning;
SELECT ok(NOT pg_temp.eve_ran(), 'the audit trigger and dskv2_track_ai_usage under hostile settings: nothing of eve''s ran');
SELECT ok(EXISTS (SELECT 1 FROM dropskills_v2.admin_logs WHERE table_name = 'packs' AND record_id = :'a_pack' AND action = 'UPDATE'),
          'the pack''s update is audited');
SELECT ok(EXISTS (SELECT 1 FROM dropskills_v2.ai_usage WHERE id = :usage_id), 'the usage is metered');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'eve'), 'eve is still no superuser');

-- ---------------------------------------------------------------------------------------------
-- session_replication_role: DBA entry points refuse a replica session (22023); triggers still
-- run their V2 writes as origin (V2's foreign keys fire).
SET LOCAL session_replication_role = replica;
SELECT throws_ok($$SELECT * FROM dskv2_plan()$$, '22023', NULL, 'dskv2_plan refuses session_replication_role = replica');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '22023', NULL, 'dskv2_migrate_all refuses it');
SELECT throws_ok($$SELECT * FROM dskv2_verify_integrity()$$, '22023', NULL, 'dskv2_verify_integrity refuses it');
SELECT throws_ok($$SELECT dskv2_create_schema()$$, '22023', NULL, 'dskv2_create_schema refuses it');
SELECT throws_ok($$SELECT dskv2_sync_disable()$$, '22023', NULL, 'dskv2_sync_disable refuses it');
SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', confirm => 'dropskills_v2')$$, '22023', NULL,
                 'dskv2_rollback refuses it');
RESET session_replication_role;

-- ---------------------------------------------------------------------------------------------
-- The catalogue: every DBA entry point (and dskv2_pack_file_url) pins the settings in its SET clause.
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc p
                 WHERE p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'dropskills_v2')
                   AND p.proname IN ('dskv2_create_schema', 'dskv2_plan', 'dskv2_migrate_all', 'dskv2_migrate_table',
                                     'dskv2_progress_of', 'dskv2_retry_rejects', 'dskv2_verify_integrity', 'dskv2_rollback',
                                     'dskv2_audit_enable', 'dskv2_audit_disable', 'dskv2_ai_track', 'dskv2_ai_untrack',
                                     'dskv2_sync_enable', 'dskv2_sync_disable', 'dskv2_cutover', 'dskv2_pack_file_url')
                   AND NOT p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp', 'standard_conforming_strings=on',
                                                'transform_null_equals=off', 'array_nulls=on', 'TimeZone=UTC',
                                                'DateStyle=ISO, MDY', 'IntervalStyle=postgres', 'bytea_output=hex',
                                                'extra_float_digits=1']
                 ORDER BY 1), '{}'::text[],
          'every DBA entry point has the pinned settings in its SET clause');

SELECT * FROM finish();
ROLLBACK;
