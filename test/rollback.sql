-- pgTAP: dskv2_rollback refuses what it must, drops only the target schema,
-- reports what it dropped, and leaves legacy data untouched.
\ir legacy_setup.psql
SELECT plan(29);
SELECT count(*) FROM dskv2_fixture.generate('S');

-- A checksum of every legacy table (and auth.users), to compare after the rollback.
CREATE FUNCTION pg_temp.legacy_digest() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t text;
    d text := '';
    part text;
BEGIN
    FOREACH t IN ARRAY ARRAY['auth.users', 'public.profiles', 'public.categories', 'public.products', 'public.samples',
                             'public.tags', 'public.favorites', 'public.product_stats', 'public.trending_ideas',
                             'public.admin_logs'] LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %s x', t) INTO part;
        d := d || t || '=' || part || ' ';
    END LOOP;
    RETURN d;
END $$;
CREATE TEMP TABLE before AS SELECT pg_temp.legacy_digest() AS digest;
-- The rows of a table as text, NULL when it does not exist (never an error).
CREATE FUNCTION pg_temp.rows_of(tbl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    out text;
BEGIN
    IF to_regclass(tbl) IS NULL THEN RETURN NULL; END IF;
    EXECUTE format('SELECT string_agg(x::text, '', '' ORDER BY x::text) FROM %s x', tbl) INTO out;
    RETURN out;
END $$;

SELECT lives_ok($$SELECT count(*) FROM dskv2_migrate_all()$$, 'the migration runs');
SELECT is(obj_description('dropskills_v2_private'::regnamespace, 'pg_namespace'),
          obj_description('dropskills_v2'::regnamespace, 'pg_namespace'),
          '... creating dropskills_v2_private (the admin helper), with the same marker as the target');

SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', 'yes')$$, '22023', NULL,
                 'a confirm that is not the schema name is refused (22023)');
SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', NULL)$$, '22023', NULL,
                 'a NULL confirm is refused (22023)');
CREATE SCHEMA not_ours;
SELECT throws_ok($$SELECT * FROM dskv2_rollback('not_ours', 'not_ours')$$, '42P06', NULL,
                 'a schema dskv2 did not create is refused (42P06)');
SELECT throws_ok($$SELECT * FROM dskv2_rollback('public', 'public')$$, '42P06', NULL,
                 'the legacy public schema is refused (42P06)');
SELECT throws_ok($$SELECT * FROM dskv2_rollback('auth', 'auth')$$, '42P06', NULL,
                 'auth is refused (42P06)');

CREATE VIEW public.pack_slugs AS SELECT id, slug FROM dropskills_v2.packs;
SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2')$$, '55000',
                 'dskv2: objects outside "dropskills_v2" depend on it: public.pack_slugs (depends on dropskills_v2.packs)',
                 'a view outside the target that depends on it is refused (55000), named');
DROP VIEW public.pack_slugs;

-- A dskv2 trigger outside the target that writes into it (as live sync does):
-- the rollback removes it first, so legacy writes go on once the target is gone.
CREATE TRIGGER hand_audit AFTER INSERT ON public.tags FOR EACH ROW EXECUTE FUNCTION dskv2_audit_trigger('dropskills_v2');
CREATE TRIGGER other_target AFTER INSERT ON public.tags FOR EACH ROW EXECUTE FUNCTION dskv2_audit_trigger('elsewhere');
CREATE TEMP TABLE report AS SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2');
SELECT is((SELECT array_agg(object ORDER BY object) FROM report WHERE action = 'dropped trigger'), ARRAY['public.tags hand_audit'],
          'the rollback drops the dskv2 triggers outside the target that write into it, and reports them');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname = 'other_target'), 1::bigint, '... not those of another target');
DROP TRIGGER other_target ON public.tags;
SELECT is((SELECT action FROM report WHERE object = 'dropskills_v2'), 'dropped schema', 'the report ends with the schema');
SELECT is((SELECT action FROM report WHERE object = 'dropskills_v2.packs'),
          format('dropped table (%s rows)', (SELECT count(*) - 9 FROM public.products)),
          'the report says how many rows each table held (packs: products minus the 9 negative prices)');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'dropskills_v2'), 0::bigint, 'the target schema is gone');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'dropskills_v2_private'), 0::bigint,
          '... and so is its marked dropskills_v2_private');
SELECT is((SELECT string_agg(object || ': ' || action, ', ' ORDER BY object) FROM report WHERE object IN ('dropskills_v2', 'dropskills_v2_private')),
          'dropskills_v2: dropped schema, dropskills_v2_private: dropped schema', '... both reported');
SELECT is((SELECT digest FROM before), pg_temp.legacy_digest(), 'legacy tables and auth.users are byte-for-byte unchanged');
SAVEPOINT legacy_write;
SELECT lives_ok($$INSERT INTO public.tags (product_id, name) VALUES (NULL, 'après le retour')$$,
                'legacy writes go on after the rollback');
ROLLBACK TO SAVEPOINT legacy_write;
SELECT throws_ok($$SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2')$$, '3F000', NULL,
                 'a second rollback: the schema does not exist (3F000)');
SELECT lives_ok($$SELECT count(*) FROM dskv2_migrate_all()$$, 'the migration can run again after a rollback');

-- <target>_private goes only when it carries the dskv2 marker: one that someone
-- else owns (another comment, or none) stays, with everything in it.
COMMENT ON SCHEMA dropskills_v2_private IS 'équipe data : nos vues';
CREATE TABLE dropskills_v2_private.notes AS SELECT g AS id, 'note ' || g AS body FROM generate_series(1, 3) g;
CREATE TEMP TABLE report_other AS SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'dropskills_v2'), 0::bigint,
          'a rollback next to a <target>_private with another comment drops the target');
SELECT is(pg_temp.rows_of('dropskills_v2_private.notes'), '(1,"note 1"), (2,"note 2"), (3,"note 3")',
          '... and leaves that <target>_private with its contents');
SELECT ok(to_regprocedure('dropskills_v2_private.is_admin()') IS NOT NULL, '... all of them');
SELECT is(obj_description(to_regnamespace('dropskills_v2_private'), 'pg_namespace'), 'équipe data : nos vues', '... and its comment');
SELECT is((SELECT count(*) FROM report_other WHERE object LIKE 'dropskills_v2_private%'), 0::bigint, '... which the report does not name');
DROP SCHEMA IF EXISTS dropskills_v2_private CASCADE;

SELECT lives_ok($$SELECT count(*) FROM dskv2_migrate_all('public', 'v2_bis')$$, 'a migration into another target');
COMMENT ON SCHEMA v2_bis_private IS NULL;
CREATE TABLE v2_bis_private.notes AS SELECT g AS id FROM generate_series(1, 4) g;
CREATE TEMP TABLE report_none AS SELECT * FROM dskv2_rollback('v2_bis', 'v2_bis');
SELECT is((SELECT count(*) FROM pg_namespace WHERE nspname = 'v2_bis'), 0::bigint,
          'a rollback next to a <target>_private without any comment drops the target');
SELECT is(pg_temp.rows_of('v2_bis_private.notes'), '(1), (2), (3), (4)', '... and leaves that <target>_private with its contents');
SELECT is((SELECT count(*) FROM report_none WHERE object LIKE 'v2_bis_private%'), 0::bigint, '... which the report does not name');
SELECT is((SELECT digest FROM before), pg_temp.legacy_digest(), 'legacy tables and auth.users are still unchanged');

SELECT * FROM finish();
ROLLBACK;
