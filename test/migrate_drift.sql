-- pgTAP: schema drift, bad sources and targets, parents not migrated, legacy RLS (docs/mapping.md, docs/errors.md).
\ir legacy_setup.psql

-- A little legacy data in every table.
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at) VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', 'alice@example.com', '{}', '2023-01-01'),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'bob@example.com', '{}', '2023-01-02');
INSERT INTO public.profiles (id, full_name, avatar_url, role, created_at) VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', 'Alice', 'https://img.example.com/a.png', 'admin', '2023-01-01'),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'Bob', NULL, 'user', '2023-01-02');
INSERT INTO public.categories (id, name, icon, created_at) VALUES (1, 'Marketing', '📈', '2023-01-01');
INSERT INTO public.products (id, title, price, category_id, language, is_published, created_by, created_at) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 'Guide SEO', 10, 1, 'en', true, 'aaaaaaaa-0000-0000-0000-000000000001', '2023-02-01'),
    ('bbbbbbbb-0000-0000-0000-000000000002', 'Brouillon', 5, NULL, 'fr', false, 'aaaaaaaa-0000-0000-0000-000000000002', '2023-02-02');
INSERT INTO public.samples (id, product_id, title, file_url, file_type, created_at) VALUES
    (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'S1', 'https://cdn.example.com/files/abc', 'PDF', '2023-03-01');
INSERT INTO public.tags (id, product_id, name) VALUES (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'SEO');
INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (1, 'aaaaaaaa-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-04-01');
INSERT INTO public.product_stats (product_id, views, downloads, favorites_count) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 5, 2, 1);
INSERT INTO public.trending_ideas (id, title, category, metadata, created_at) VALUES
    (1, 'Idée', 'Marketing', '{"k": 1}', '2023-05-01');
INSERT INTO public.admin_logs (id, admin_id, action, details, ip_address, created_at) VALUES
    (1, 'aaaaaaaa-0000-0000-0000-000000000001', 'update', '{"a": 1}', '1.2.3.4', '2023-06-01');

-- Snapshot of a schema's objects (relations, constraints, indexes, triggers, policies, comment).
CREATE FUNCTION pg_temp.schema_objects(target name) RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname)
           FROM pg_class c WHERE c.relnamespace = to_regnamespace(target)),
        (SELECT string_agg(co.conname || ':' || pg_get_constraintdef(co.oid), ',' ORDER BY co.conname, co.conrelid::regclass::text)
           FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid WHERE c.relnamespace = to_regnamespace(target)),
        (SELECT string_agg(t.tgname || ':' || t.tgrelid::regclass::text, ',' ORDER BY t.tgname, t.tgrelid::regclass::text)
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = to_regnamespace(target) AND NOT t.tgisinternal),
        (SELECT string_agg(p.polname || ':' || p.polrelid::regclass::text, ',' ORDER BY p.polname, p.polrelid::regclass::text)
           FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = to_regnamespace(target)),
        obj_description(to_regnamespace(target), 'pg_namespace')))
$$;

SELECT plan(62);

-- ---------------------------------------------------------------------------------------------
-- A required column missing: 42703 naming table.column, nothing written
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE saved_titles AS SELECT id, title FROM public.products;
ALTER TABLE public.products DROP COLUMN title;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42703', NULL,
                 'products.title missing: dskv2_migrate_all raises 42703');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all()$$, '%products.title%',
                   'products.title missing: the message names products.title');
SELECT hasnt_schema('dropskills_v2', 'products.title missing: nothing written (no target schema)');
ALTER TABLE public.products ADD COLUMN title text;
UPDATE public.products p SET title = s.title FROM saved_titles s WHERE s.id = p.id;

ALTER TABLE public.favorites RENAME COLUMN user_id TO owner_id;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42703', NULL,
                 'favorites.user_id missing: 42703');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all()$$, '%favorites.user_id%',
                   'favorites.user_id missing: the message names favorites.user_id');
ALTER TABLE public.favorites RENAME COLUMN owner_id TO user_id;

ALTER TABLE auth.users RENAME COLUMN email TO email_address;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42703', NULL,
                 'auth.users.email missing: 42703');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all()$$, '%users.email%',
                   'auth.users.email missing: the message names users.email');
ALTER TABLE auth.users RENAME COLUMN email_address TO email;
SELECT hasnt_schema('dropskills_v2', 'still nothing written');

-- ---------------------------------------------------------------------------------------------
-- A legacy table missing: 42P01 naming it
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.tags RENAME TO tags_old;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42P01', NULL, 'tags missing: 42P01');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all()$$, '%tags%', 'tags missing: the message names it');
ALTER TABLE public.tags_old RENAME TO tags;
ALTER TABLE public.profiles RENAME TO profiles_old;
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '42P01', NULL, 'profiles missing: 42P01');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all()$$, '%profiles%', 'profiles missing: the message names it');
ALTER TABLE public.profiles_old RENAME TO profiles;
SELECT hasnt_schema('dropskills_v2', 'a missing table: nothing written');

-- ---------------------------------------------------------------------------------------------
-- Source schema missing: 3F000; refused targets: 42P06
-- ---------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all('nope')$$, '3F000', NULL, 'source schema missing: 3F000');
SELECT throws_like($$SELECT * FROM dskv2_migrate_all('nope')$$, '%nope%', 'source schema missing: named');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all('public', 'public')$$, '42P06', NULL,
                 'target = source (public): 42P06');
SELECT throws_ok(format($$SELECT * FROM dskv2_migrate_all('public', %L)$$, t), '42P06', NULL,
                 'system target ' || t || ': 42P06')
  FROM unnest(ARRAY['pg_catalog', 'auth', 'extensions', 'information_schema', 'pg_toast']) t;
SELECT throws_ok(format($$SELECT dskv2_create_schema(%L)$$, t), '42P06', NULL,
                 'dskv2_create_schema(' || t || '): 42P06')
  FROM unnest(ARRAY['public', 'pg_catalog', 'auth', 'extensions']) t;
CREATE SCHEMA not_ours;
CREATE TABLE not_ours.keep_me (id int);
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all('public', 'not_ours')$$, '42P06', NULL,
                 'existing schema without the marker: dskv2_migrate_all refuses with 42P06');
SELECT throws_ok($$SELECT dskv2_create_schema('not_ours')$$, '42P06', NULL,
                 'existing schema without the marker: dskv2_create_schema refuses with 42P06');
COMMENT ON SCHEMA not_ours IS 'someone else''s schema';
SELECT throws_ok($$SELECT dskv2_create_schema('not_ours')$$, '42P06', NULL,
                 'existing schema with another comment: 42P06');
SELECT is((SELECT count(*)::int FROM pg_class WHERE relnamespace = 'not_ours'::regnamespace), 1,
          'the refused schema is left as it was');

-- ---------------------------------------------------------------------------------------------
-- dskv2_migrate_table: unknown table 22023, parent not migrated 55000
-- ---------------------------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM dskv2_migrate_table('nope')$$, '22023', NULL, 'dskv2_migrate_table(unknown): 22023');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_table('samples')$$, '55000', NULL,
                 'dskv2_migrate_table(samples) before products: 55000');
SELECT throws_like($$SELECT * FROM dskv2_migrate_table('samples')$$, '%products%',
                   'dskv2_migrate_table(samples) before products: the message names products');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_table('products')$$, '55000', NULL,
                 'dskv2_migrate_table(products) before categories: 55000');
SELECT throws_like($$SELECT * FROM dskv2_migrate_table('products')$$, '%categories%',
                   'dskv2_migrate_table(products) before categories: names categories');
SELECT hasnt_schema('dropskills_v2', 'a refused migrate_table writes nothing');

-- ---------------------------------------------------------------------------------------------
-- dskv2_create_schema: idempotent, marker
-- ---------------------------------------------------------------------------------------------
SELECT lives_ok($$SELECT dskv2_create_schema('dskv2_idem')$$, 'dskv2_create_schema: first call');
SELECT pg_temp.schema_objects('dskv2_idem') AS objects_once \gset
SELECT lives_ok($$SELECT dskv2_create_schema('dskv2_idem')$$, 'dskv2_create_schema: second call');
SELECT is(pg_temp.schema_objects('dskv2_idem'), :'objects_once', 'dskv2_create_schema twice: the same objects');
SELECT is(obj_description('dskv2_idem'::regnamespace, 'pg_namespace'), dskv2_target_marker(),
          'the ownership marker is the schema comment');
SELECT isnt(obj_description('dskv2_idem'::regnamespace, 'pg_namespace'), NULL, 'the marker is there');
SELECT is(ARRAY(SELECT t FROM unnest(ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'favorites',
                                             'user_packs', 'pack_stats', 'ai_tools', 'ai_usage', 'admin_logs',
                                             'trending_ideas', 'migration_runs', 'migration_rejects']) t
                 WHERE to_regclass('dskv2_idem.' || t) IS NULL), '{}'::text[],
          'dskv2_create_schema: every table of the V2 schema');
SELECT is((SELECT count(*)::int FROM pg_depend d WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dropskills_v2')
             AND d.classid = 'pg_class'::regclass
             AND d.objid IN (SELECT oid FROM pg_class WHERE relnamespace = 'dskv2_idem'::regnamespace)), 0,
          'target objects are not members of the extension');

-- ---------------------------------------------------------------------------------------------
-- Optional columns missing: they read as NULL
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.samples DROP COLUMN file_type;
ALTER TABLE public.products DROP COLUMN language;
ALTER TABLE public.profiles DROP COLUMN avatar_url;
ALTER TABLE public.favorites DROP COLUMN created_at;
ALTER TABLE public.product_stats DROP COLUMN favorites_count;
ALTER TABLE public.trending_ideas DROP COLUMN metadata;
ALTER TABLE public.admin_logs DROP COLUMN ip_address;
CREATE TEMP TABLE report AS SELECT * FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT results_eq(
    $$SELECT source_table, rows_read, rows_written, rows_rejected FROM report ORDER BY ordinality$$,
    $$VALUES ('auth.users', 2::bigint, 2::bigint, 0::bigint), ('categories', 1, 1, 0), ('products', 2, 2, 0),
             ('samples', 1, 1, 0), ('tags', 1, 1, 0), ('favorites', 1, 1, 0), ('product_stats', 1, 1, 0),
             ('trending_ideas', 1, 1, 0), ('admin_logs', 1, 1, 0)$$,
    'optional columns missing: the migration runs and writes every row');
SELECT is((SELECT count(*) FROM dropskills_v2.packs WHERE language IS NOT NULL), 0::bigint,
          'products.language missing: packs.language is NULL');
SELECT is((SELECT type FROM dropskills_v2.samples WHERE id = 1), dskv2_detect_sample_type('https://cdn.example.com/files/abc', NULL),
          'samples.file_type missing: the type comes from the URL alone');
SELECT is((SELECT type FROM dropskills_v2.samples WHERE id = 1), 'link', 'samples.file_type missing: link, not pdf');
SELECT is((SELECT avatar_url FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000001'), NULL,
          'profiles.avatar_url missing: users.avatar_url is NULL');
SELECT results_eq($$SELECT created_at FROM dropskills_v2.favorites$$, $$VALUES (NULL::timestamptz)$$,
                  'favorites.created_at missing: favorites.created_at is NULL');
SELECT results_eq($$SELECT views, downloads, favorites_count FROM dropskills_v2.pack_stats$$,
                  $$VALUES (5::bigint, 2::bigint, 0::bigint)$$,
                  'product_stats.favorites_count missing: 0');
SELECT results_eq($$SELECT data, category_id FROM dropskills_v2.trending_ideas$$, $$VALUES (NULL::jsonb, 1)$$,
                  'trending_ideas.metadata missing: data is NULL');
SELECT is((SELECT details FROM dropskills_v2.admin_logs WHERE id = 1), '{"a": 1}'::jsonb,
          'admin_logs.ip_address missing: details without ip_address');
SELECT is((SELECT legacy FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000001'), NULL,
          'a missing optional column is not an unknown column: nothing in legacy');

-- dskv2_create_schema on a migrated target: same objects, data kept.
SELECT pg_temp.schema_objects('dropskills_v2') AS objects_v2 \gset
SELECT lives_ok($$SELECT dskv2_create_schema()$$, 'dskv2_create_schema on the migrated target');
SELECT is(pg_temp.schema_objects('dropskills_v2'), :'objects_v2', 'dskv2_create_schema again: the same objects');
SELECT is((SELECT count(*) FROM dropskills_v2.packs), 2::bigint, 'dskv2_create_schema again: data kept');
SELECT is(obj_description('dropskills_v2'::regnamespace, 'pg_namespace'), dskv2_target_marker(),
          'a migration marks the target schema it creates');

-- ---------------------------------------------------------------------------------------------
-- Legacy RLS: a role that legacy RLS restricts gets 42501, never a subset
-- ---------------------------------------------------------------------------------------------
CREATE ROLE dskv2_rls_tester NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
GRANT USAGE, CREATE ON SCHEMA public TO dskv2_rls_tester;
GRANT USAGE ON SCHEMA auth, extensions TO dskv2_rls_tester;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dskv2_rls_tester;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO dskv2_rls_tester;
GRANT SELECT, REFERENCES ON auth.users TO dskv2_rls_tester;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO dskv2_rls_tester;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO dskv2_rls_tester', current_database()); END $$;

-- (A migration earlier in this transaction left row_security off: set it back for the plain read.)
SET LOCAL row_security = on;
SET LOCAL ROLE dskv2_rls_tester;
DO $$
BEGIN
    PERFORM set_config('tap.rls_visible', (SELECT count(*) FROM public.profiles)::text, true);
    BEGIN
        PERFORM * FROM dskv2_migrate_all('public', 'v2_rls');
        PERFORM set_config('tap.rls_error', 'no error', true);
    EXCEPTION WHEN OTHERS THEN
        PERFORM set_config('tap.rls_error', SQLSTATE || ': ' || SQLERRM, true);
    END;
    SET LOCAL row_security = off;
    BEGIN
        PERFORM * FROM dskv2_migrate_all('public', 'v2_rls');
        PERFORM set_config('tap.rls_error_off', 'no error', true);
    EXCEPTION WHEN OTHERS THEN
        PERFORM set_config('tap.rls_error_off', SQLSTATE || ': ' || SQLERRM, true);
    END;
END $$;
RESET ROLE;
SELECT is(current_setting('tap.rls_visible'), '0', 'RLS: the restricted role sees a subset of profiles with plain reads');
SELECT matches(current_setting('tap.rls_error'), '^42501: .*row-level security',
               'RLS: dskv2_migrate_all as a role that legacy RLS restricts raises 42501 (row-level security)');
SELECT matches(current_setting('tap.rls_error_off'), '^42501: .*row-level security',
               'RLS: same with row_security off in the session');
SELECT hasnt_schema('v2_rls', 'RLS: nothing written');
SELECT lives_ok($$SELECT * FROM dskv2_migrate_all('public', 'v2_rls')$$, 'RLS: the superuser path works');
SELECT results_eq($$SELECT (SELECT count(*) FROM v2_rls.users), (SELECT count(*) FROM v2_rls.packs)$$,
                  $$VALUES (2::bigint, 2::bigint)$$, 'RLS: the superuser migrates every row (no subset)');

SELECT * FROM finish();
ROLLBACK;
