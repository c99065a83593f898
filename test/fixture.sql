-- pgTAP: the test fixture itself. fixtures/supabase.sql behaves like Supabase (roles, auth.*
-- functions, grants), fixtures/legacy_schema.sql is the legacy schema of docs/mapping.md with legacy RLS, and
-- dskv2_fixture.generate() is deterministic, sized as documented and contains every kind of mess
-- docs/mapping.md, "The legacy schema", lists. Loads the fixture files itself (twice: they must be idempotent) inside the
-- transaction, so nothing survives the ROLLBACK (roles included).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
\ir ../fixtures/supabase.sql
\ir ../fixtures/supabase.sql
\ir ../fixtures/legacy_schema.sql
\ir ../fixtures/generate.sql
\ir ../fixtures/generate.sql

SELECT plan(98);

-- ---------------------------------------------------------------------------------------------
-- Supabase emulation: roles
-- ---------------------------------------------------------------------------------------------
SELECT ok((SELECT NOT rolcanlogin AND NOT rolinherit AND NOT rolbypassrls AND NOT rolsuper FROM pg_roles WHERE rolname = 'anon'),
          'anon is NOLOGIN NOINHERIT');
SELECT ok((SELECT NOT rolcanlogin AND NOT rolinherit AND NOT rolbypassrls AND NOT rolsuper FROM pg_roles WHERE rolname = 'authenticated'),
          'authenticated is NOLOGIN NOINHERIT');
SELECT ok((SELECT NOT rolcanlogin AND NOT rolinherit AND rolbypassrls AND NOT rolsuper FROM pg_roles WHERE rolname = 'service_role'),
          'service_role is NOLOGIN NOINHERIT BYPASSRLS');
SELECT ok((SELECT rolcanlogin AND NOT rolinherit AND NOT rolsuper FROM pg_roles WHERE rolname = 'authenticator'),
          'authenticator is LOGIN NOINHERIT');
SELECT ok(pg_has_role('authenticator', 'anon', 'MEMBER') AND pg_has_role('authenticator', 'authenticated', 'MEMBER')
          AND pg_has_role('authenticator', 'service_role', 'MEMBER'),
          'authenticator may switch to anon, authenticated and service_role');
SELECT ok(NOT pg_has_role('authenticator', 'anon', 'USAGE'), 'authenticator does not inherit anon''s privileges');

-- ---------------------------------------------------------------------------------------------
-- Supabase emulation: auth.users and auth.* functions
-- ---------------------------------------------------------------------------------------------
SELECT columns_are('auth', 'users', ARRAY[
    'instance_id', 'id', 'aud', 'role', 'email', 'encrypted_password', 'email_confirmed_at', 'invited_at',
    'confirmation_token', 'confirmation_sent_at', 'recovery_token', 'recovery_sent_at', 'email_change_token_new',
    'email_change', 'email_change_sent_at', 'last_sign_in_at', 'raw_app_meta_data', 'raw_user_meta_data',
    'is_super_admin', 'created_at', 'updated_at', 'phone', 'phone_confirmed_at', 'phone_change',
    'phone_change_token', 'phone_change_sent_at', 'confirmed_at', 'email_change_token_current',
    'email_change_confirm_status', 'banned_until', 'reauthentication_token', 'reauthentication_sent_at',
    'is_sso_user', 'deleted_at', 'is_anonymous'],
    'auth.users has GoTrue''s columns, secrets included');
SELECT col_type_is('auth', 'users', 'email', 'character varying(255)', 'auth.users.email is varchar(255)');
SELECT col_is_pk('auth', 'users', 'id', 'auth.users.id is the primary key');
SELECT table_owner_is('auth', 'users', 'supabase_auth_admin', 'auth.users belongs to supabase_auth_admin');
SELECT ok(NOT has_table_privilege('anon', 'auth.users', 'SELECT') AND NOT has_table_privilege('authenticated', 'auth.users', 'SELECT'),
          'the API roles cannot read auth.users');
SELECT ok(has_schema_privilege('anon', 'auth', 'USAGE') AND has_schema_privilege('authenticated', 'auth', 'USAGE'),
          'the API roles can use schema auth (policies call auth.uid())');

SELECT set_config('request.jwt.claim.sub', '', true), set_config('request.jwt.claim.role', '', true),
       set_config('request.jwt.claim', '', true), set_config('request.jwt.claims', '', true) \g /dev/null
SELECT is(auth.uid(), NULL, 'auth.uid() is NULL without a JWT');
SELECT is(auth.role(), NULL, 'auth.role() is NULL without a JWT');
SELECT is(auth.jwt(), NULL, 'auth.jwt() is NULL without a JWT');
SELECT set_config('request.jwt.claims',
    '{"sub": "2b5f0a55-1a4e-4f0e-9b1e-6f2d3c4b5a69", "role": "authenticated", "email": "zoe@exemple.fr", "aal": "aal1"}', true)
    \g /dev/null
SELECT is(auth.uid(), '2b5f0a55-1a4e-4f0e-9b1e-6f2d3c4b5a69'::uuid, 'auth.uid() reads sub from request.jwt.claims');
SELECT is(auth.role(), 'authenticated', 'auth.role() reads role from request.jwt.claims');
SELECT is(auth.email(), 'zoe@exemple.fr', 'auth.email() reads email from request.jwt.claims');
SELECT is(auth.jwt() ->> 'aal', 'aal1', 'auth.jwt() returns the whole claims object');
SELECT set_config('request.jwt.claim.sub', '0d7c1f3e-2222-4a4a-8b8b-000000000001', true) \g /dev/null
SELECT is(auth.uid(), '0d7c1f3e-2222-4a4a-8b8b-000000000001'::uuid,
          'auth.uid(): the legacy per-claim setting request.jwt.claim.sub wins, as in Supabase');
SELECT set_config('request.jwt.claim.sub', '', true), set_config('request.jwt.claims', '', true) \g /dev/null
SELECT is(auth.uid(), NULL, 'auth.uid(): empty settings read as no JWT');
SELECT is(provolatile::text, 's', 'auth.uid() is STABLE') FROM pg_proc WHERE oid = 'auth.uid()'::regprocedure;

-- ---------------------------------------------------------------------------------------------
-- Supabase emulation: schemas and default privileges
-- ---------------------------------------------------------------------------------------------
SELECT ok(has_schema_privilege('anon', 'extensions', 'USAGE') AND has_schema_privilege('authenticated', 'extensions', 'USAGE')
          AND has_schema_privilege('service_role', 'extensions', 'USAGE'), 'the API roles can use schema extensions');
SELECT ok(has_schema_privilege('anon', 'public', 'USAGE'), 'anon can use schema public');
CREATE FUNCTION extensions.fx_probe() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE ALL ON FUNCTION extensions.fx_probe() FROM PUBLIC;
SELECT ok(has_function_privilege('anon', 'extensions.fx_probe()', 'EXECUTE')
          AND has_function_privilege('authenticated', 'extensions.fx_probe()', 'EXECUTE'),
          'default privileges in extensions: EXECUTE reaches anon/authenticated even after REVOKE FROM PUBLIC');
CREATE TABLE public.fx_probe (x int);
SELECT ok(has_table_privilege('anon', 'public.fx_probe', 'SELECT') AND has_table_privilege('anon', 'public.fx_probe', 'DELETE'),
          'default privileges in public: anon gets ALL on a new table');
DROP FUNCTION extensions.fx_probe();
DROP TABLE public.fx_probe;

-- ---------------------------------------------------------------------------------------------
-- Legacy schema
-- ---------------------------------------------------------------------------------------------
SELECT tables_are('public', ARRAY['profiles', 'categories', 'products', 'samples', 'tags', 'favorites',
                                  'product_stats', 'trending_ideas', 'admin_logs'], 'public has the nine legacy tables');
SELECT fk_ok('public', 'profiles', 'id', 'auth', 'users', 'id', 'profiles.id references auth.users');
SELECT fk_ok('public', 'products', 'category_id', 'public', 'categories', 'id', 'products.category_id references categories');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'public.favorites'::regclass AND contype = 'f'), 0,
          'favorites has no foreign key');
SELECT col_default_is('public', 'profiles', 'role', 'user'::text, 'profiles.role defaults to ''user''');
SELECT col_type_is('public', 'products', 'price', 'numeric(10,2)', 'products.price is numeric(10,2)');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'public.profiles'::regclass)
          AND (SELECT relrowsecurity FROM pg_class WHERE oid = 'public.products'::regclass),
          'legacy RLS is enabled on profiles and products');

-- ---------------------------------------------------------------------------------------------
-- Determinism: same size and seed -> identical rows and sequences; another seed -> other rows
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.fx_snapshot() RETURNS text LANGUAGE sql AS $$
    SELECT md5(string_agg(d, ',' ORDER BY n)) FROM (
        SELECT 1 AS n, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) AS d FROM auth.users t
        UNION ALL SELECT 2, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.profiles t
        UNION ALL SELECT 3, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.categories t
        UNION ALL SELECT 4, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.products t
        UNION ALL SELECT 5, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.samples t
        UNION ALL SELECT 6, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.tags t
        UNION ALL SELECT 7, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.favorites t
        UNION ALL SELECT 8, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.product_id), '')) FROM public.product_stats t
        UNION ALL SELECT 9, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.trending_ideas t
        UNION ALL SELECT 10, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM public.admin_logs t
        UNION ALL SELECT 11, string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY sequencename)
                  FROM pg_sequences WHERE schemaname = 'public') s
$$;
CREATE TEMP TABLE fx_snap (run text PRIMARY KEY, digest text);
CREATE TEMP TABLE fx_counts AS SELECT * FROM dskv2_fixture.generate('S');
INSERT INTO fx_snap SELECT 'S42 a', pg_temp.fx_snapshot();
SELECT * FROM dskv2_fixture.generate('S', 42) \g /dev/null
INSERT INTO fx_snap SELECT 'S42 b', pg_temp.fx_snapshot();
SELECT * FROM dskv2_fixture.generate('S', 7) \g /dev/null
INSERT INTO fx_snap SELECT 'S7', pg_temp.fx_snapshot();
SELECT * FROM dskv2_fixture.generate('s') \g /dev/null
INSERT INTO fx_snap SELECT 'S42 c', pg_temp.fx_snapshot();
SELECT is((SELECT digest FROM fx_snap WHERE run = 'S42 b'), (SELECT digest FROM fx_snap WHERE run = 'S42 a'),
          'generate(''S'', 42) twice: byte-identical rows and sequence values');
SELECT is((SELECT digest FROM fx_snap WHERE run = 'S42 c'), (SELECT digest FROM fx_snap WHERE run = 'S42 a'),
          'after another seed, generate(''s'') (default seed 42) gives the same data again');
SELECT isnt((SELECT digest FROM fx_snap WHERE run = 'S7'), (SELECT digest FROM fx_snap WHERE run = 'S42 a'),
            'another seed gives other data');
SELECT throws_ok($$SELECT * FROM dskv2_fixture.generate('XL')$$, '22023', NULL, 'an unknown size is 22023');
SELECT throws_ok($$SELECT * FROM dskv2_fixture.generate('S', NULL)$$, '22023', NULL, 'a NULL seed is 22023');

-- ---------------------------------------------------------------------------------------------
-- Size S (seed 42)
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT array_agg(table_name ORDER BY table_name) FROM fx_counts),
          ARRAY['admin_logs', 'auth.users', 'categories', 'favorites', 'product_stats', 'products', 'profiles',
                'samples', 'tags', 'trending_ideas'], 'generate() reports auth.users and the nine legacy tables');
SELECT is((SELECT row_count FROM fx_counts WHERE table_name = 'auth.users'), (SELECT count(*) FROM auth.users),
          'the reported counts are the real counts (auth.users)');
SELECT is((SELECT row_count FROM fx_counts WHERE table_name = 'tags'), (SELECT count(*) FROM public.tags),
          'the reported counts are the real counts (tags)');
SELECT ok((SELECT sum(row_count) BETWEEN 9000 AND 11000 FROM fx_counts), 'S has about 10,000 rows in all');
SELECT results_eq($$SELECT (SELECT count(*) FROM auth.users), (SELECT count(*) FROM public.products),
                           (SELECT count(*) FROM public.favorites), (SELECT count(*) FROM public.trending_ideas),
                           (SELECT count(*) FROM public.admin_logs), (SELECT count(*) FROM public.categories)$$,
                  $$VALUES (1300::bigint, 800::bigint, 1600::bigint, 250::bigint, 600::bigint, 38::bigint)$$,
                  'S: exact counts of the tables sized by row number');
SELECT ok((SELECT count(*) BETWEEN 1200 AND 1300 FROM public.profiles)
          AND (SELECT count(*) BETWEEN 1000 AND 1400 FROM public.samples)
          AND (SELECT count(*) BETWEEN 1800 AND 2200 FROM public.tags)
          AND (SELECT count(*) BETWEEN 720 AND 790 FROM public.product_stats),
          'S: profiles, samples, tags and product_stats within their ranges');
SELECT ok((SELECT bool_and(s.last_value = m.max_id) FROM pg_sequences s
           JOIN LATERAL (SELECT CASE s.sequencename
                                    WHEN 'categories_id_seq' THEN (SELECT max(id) FROM public.categories)
                                    WHEN 'samples_id_seq' THEN (SELECT max(id) FROM public.samples)
                                    WHEN 'tags_id_seq' THEN (SELECT max(id) FROM public.tags)
                                    WHEN 'favorites_id_seq' THEN (SELECT max(id) FROM public.favorites)
                                    WHEN 'trending_ideas_id_seq' THEN (SELECT max(id) FROM public.trending_ideas)
                                    WHEN 'admin_logs_id_seq' THEN (SELECT max(id) FROM public.admin_logs) END AS max_id) m ON true
           WHERE s.schemaname = 'public')
          AND (SELECT count(*) = 6 FROM pg_sequences WHERE schemaname = 'public'),
          'every serial sequence stands at its table''s max(id)');

-- ---------------------------------------------------------------------------------------------
-- Every kind of mess is there
-- ---------------------------------------------------------------------------------------------
-- auth.users
SELECT cmp_ok((SELECT count(*)::int FROM (SELECT lower(btrim(email)) FROM auth.users WHERE btrim(email) <> ''
               GROUP BY 1 HAVING count(*) > 1 AND count(DISTINCT email) > 1) d), '>', 10,
              'emails differing only by case');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users a JOIN auth.users b ON lower(a.email) = lower(b.email)
               AND a.id < b.id AND a.created_at = b.created_at), '>', 0,
              'case-duplicate emails with the same created_at (tie broken by id)');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users WHERE email IS NULL), '>', 0, 'NULL emails');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users WHERE email = ''), '>', 0, 'blank emails');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users WHERE email <> btrim(email, E' \t')), '>', 0, 'emails padded with spaces');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users WHERE deleted_at IS NOT NULL), '>', 0, 'soft-deleted auth users');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users WHERE created_at IS NULL), '>', 0, 'auth users with NULL created_at');
SELECT ok((SELECT count(*) FILTER (WHERE encrypted_password LIKE '$2a$10$%' AND length(encrypted_password) = 60) > 1000
              AND count(*) FILTER (WHERE confirmation_token <> '') > 0 AND count(*) FILTER (WHERE recovery_token <> '') > 0
              AND count(*) FILTER (WHERE email_change_token_new <> '') > 0
              AND count(*) FILTER (WHERE reauthentication_token <> '') > 0
              AND count(*) FILTER (WHERE raw_app_meta_data ? 'provider') = count(*)
           FROM auth.users),
          'auth.users carries fake secrets: bcrypt-like hashes, confirmation/recovery/change/reauth tokens, app metadata');
SELECT cmp_ok((SELECT count(*)::int FROM public.profiles p JOIN auth.users u USING (id)
               WHERE nullif(p.full_name, '') IS NULL AND u.raw_user_meta_data ? 'full_name'), '>', 0,
              'raw_user_meta_data.full_name where the profile has none');
-- profiles
SELECT cmp_ok((SELECT count(*)::int FROM public.profiles p WHERE NOT EXISTS (SELECT 1 FROM auth.users u WHERE u.id = p.id)),
              '>=', 3, 'orphan profiles (no auth user) despite the foreign key');
SELECT cmp_ok((SELECT count(*)::int FROM auth.users u WHERE NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = u.id)),
              '>', 0, 'auth users without a profile');
SELECT ok((SELECT count(DISTINCT role) >= 12 AND count(*) FILTER (WHERE role IS NULL) > 0
                  AND count(*) FILTER (WHERE role <> lower(btrim(role))) > 0
                  AND count(*) FILTER (WHERE lower(btrim(role)) NOT IN ('user', 'premium', 'admin', '')) > 0
           FROM public.profiles),
          'free-text roles: NULL, case and space variants, unknown roles');
SELECT ok((SELECT count(DISTINCT subscription_status) >= 5 AND count(*) FILTER (WHERE subscription_status IS NULL) > 0
                  AND count(*) FILTER (WHERE starts_with(stripe_customer_id, 'cus_')) > 0 FROM public.profiles),
          'subscription_status mixed, stripe_customer_id cus_... or NULL');
SELECT cmp_ok((SELECT count(*)::int FROM public.profiles WHERE created_at IS NULL), '>', 0, 'profiles with NULL created_at');
-- categories
SELECT ok((SELECT count(*) FROM public.categories WHERE name !~ '[[:alnum:]]') > 0
          AND (SELECT count(*) FROM (SELECT lower(name) FROM public.categories GROUP BY 1 HAVING count(*) > 1) d) > 0,
          'categories: emoji-only names and case duplicates');
-- products
SELECT cmp_ok((SELECT count(*)::int FROM public.products WHERE price < 0), '>', 0, 'negative prices');
SELECT cmp_ok((SELECT count(*)::int FROM public.products WHERE price IS NULL), '>', 0, 'NULL prices');
SELECT cmp_ok((SELECT (count(*) - count(DISTINCT title))::int FROM public.products), '>', 20, 'duplicate titles');
SELECT cmp_ok((SELECT count(*)::int FROM public.products WHERE title !~ '[[:alnum:]]'), '>', 0,
              'titles that are only symbols or emoji (empty slug)');
SELECT cmp_ok((SELECT count(DISTINCT title)::int FROM public.products WHERE title ~* E'^\\s*pack\\M'
               AND title !~ '[[:alpha:]]{5,}'), '>=', 2, 'Pack / Pack 2 / pack-2 titles (suffix collisions)');
SELECT ok((SELECT count(*) FILTER (WHERE title ~ '&(amp|eacute);') > 0 AND count(*) FILTER (WHERE title LIKE '%’%') > 0
                  AND count(*) FILTER (WHERE title ~ '[éèàçô]') > 0 AND count(*) FILTER (WHERE title LIKE '%🚀%') > 0
                  AND count(*) FILTER (WHERE title <> btrim(title)) > 0 FROM public.products),
          'titles with HTML entities, typographic apostrophes, accents, emoji, padding');
SELECT cmp_ok((SELECT count(*)::int FROM public.products WHERE created_at IS NULL), '>', 0, 'products with NULL created_at');
SELECT cmp_ok((SELECT (count(created_at) - count(DISTINCT created_at))::int FROM public.products), '>', 0,
              'products sharing a created_at');
SELECT cmp_ok((SELECT count(*)::int FROM public.products p WHERE p.created_by IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM auth.users u WHERE u.id = p.created_by)), '>', 0,
              'created_by pointing at no auth user');
SELECT ok((SELECT count(*) FILTER (WHERE category_id IS NULL) > 0 AND count(*) FILTER (WHERE created_by IS NULL) > 0
                  AND count(DISTINCT language) >= 5 AND count(DISTINCT format) >= 8
                  AND count(*) FILTER (WHERE is_published IS NOT TRUE) > 0 FROM public.products),
          'products: NULL category/author, language and format variety, unpublished products');
-- samples
SELECT ok((SELECT count(DISTINCT file_type) >= 15 AND count(*) FILTER (WHERE file_type IS NULL) > 0
                  AND count(*) FILTER (WHERE file_url IS NULL) > 0 AND count(*) FILTER (WHERE file_url ~ 'youtu') > 0
                  AND count(*) FILTER (WHERE file_url ~ 'vimeo') > 0 AND count(*) FILTER (WHERE file_url ~ 'docs[.]google') > 0
                  AND count(*) FILTER (WHERE file_url ~* '[.](pdf|mp4|mp3|zip|docx|epub)') > 0
              FROM public.samples),
          'samples: free-text file_type, NULL URLs, YouTube, Vimeo, Google Docs and file URLs');
SELECT cmp_ok((SELECT count(*)::int FROM public.samples WHERE file_url LIKE 'data:%'), '>', 0, 'a data: URL');
-- tags
SELECT cmp_ok((SELECT (count(*) - count(DISTINCT (product_id, name)))::int FROM public.tags), '>', 0,
              'the same (product, tag) repeated');
SELECT cmp_ok((SELECT count(*)::int FROM public.tags WHERE name !~ '[[:alnum:]]'), '>', 0, 'tags empty after slugify');
SELECT cmp_ok((SELECT count(DISTINCT name)::int FROM public.tags WHERE lower(btrim(replace(name, '.', ''))) = 'seo'), '>=', 4,
              'one tag in several spellings (SEO, seo, '' Seo '', S.E.O.)');
-- favorites
SELECT cmp_ok((SELECT count(*)::int FROM public.favorites f WHERE NOT EXISTS (SELECT 1 FROM auth.users u WHERE u.id = f.user_id)),
              '>', 0, 'favorites of unknown users');
SELECT cmp_ok((SELECT count(*)::int FROM public.favorites f WHERE NOT EXISTS (SELECT 1 FROM public.products p WHERE p.id = f.product_id)),
              '>', 0, 'favorites of unknown products');
SELECT cmp_ok((SELECT (count(*) - count(DISTINCT (user_id, product_id)))::int FROM public.favorites), '>', 20,
              'duplicate favorites');
SELECT cmp_ok((SELECT count(*)::int FROM public.favorites WHERE created_at IS NULL), '>', 0, 'favorites with NULL created_at');
-- product_stats
SELECT cmp_ok((SELECT count(*)::int FROM public.product_stats WHERE views IS NULL OR downloads IS NULL OR favorites_count IS NULL),
              '>', 0, 'NULL counters');
SELECT cmp_ok((SELECT count(*)::int FROM public.product_stats WHERE views < 0 OR downloads < 0 OR favorites_count < 0),
              '>', 0, 'negative counters');
-- trending_ideas
SELECT ok((SELECT count(*) - count(DISTINCT title) > 0 AND count(*) FILTER (WHERE title !~ '[[:alnum:]]') > 0
           FROM public.trending_ideas), 'trending ideas: duplicate and empty-slug titles');
SELECT ok((SELECT count(*) FROM public.trending_ideas t WHERE t.category IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM public.categories c WHERE c.name = t.category)
               AND EXISTS (SELECT 1 FROM public.categories c WHERE lower(c.name) = lower(t.category))) > 0,
          'trending idea categories matching a category name only in another case');
-- admin_logs
SELECT ok((SELECT count(*) FILTER (WHERE details IS NULL) > 0 AND count(*) FILTER (WHERE jsonb_typeof(details) <> 'object') > 0
                  AND count(*) FILTER (WHERE details ? 'ip_address') > 0 AND count(*) FILTER (WHERE ip_address IS NULL) > 0
                  AND count(*) FILTER (WHERE admin_id IS NULL) > 0 AND count(DISTINCT action) >= 10
           FROM public.admin_logs),
          'admin_logs: NULL and non-object details, NULL ip and admin, free-text actions');

-- ---------------------------------------------------------------------------------------------
-- Legacy RLS as the API roles see it (values computed under the role, asserted as postgres)
-- ---------------------------------------------------------------------------------------------
DO $$ BEGIN PERFORM set_config('fx.uid', dskv2_fixture.uid(42, 1)::text, true); END $$;
SET LOCAL ROLE anon;
DO $$ BEGIN
    PERFORM set_config('fx.anon_products', (SELECT count(*) FROM public.products)::text, true);
    PERFORM set_config('fx.anon_profiles', (SELECT count(*) FROM public.profiles)::text, true);
END $$;
RESET ROLE;
SELECT set_config('request.jwt.claims', json_build_object('sub', current_setting('fx.uid'), 'role', 'authenticated')::text, true)
    \g /dev/null
SET LOCAL ROLE authenticated;
DO $$ BEGIN PERFORM set_config('fx.auth_profiles', (SELECT count(*) FROM public.profiles)::text, true); END $$;
RESET ROLE;
SET LOCAL ROLE service_role;
DO $$ BEGIN PERFORM set_config('fx.service_profiles', (SELECT count(*) FROM public.profiles)::text, true); END $$;
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true) \g /dev/null
SELECT is(current_setting('fx.anon_products')::bigint, (SELECT count(*) FROM public.products WHERE is_published),
          'anon sees only published products (a subset)');
SELECT is(current_setting('fx.anon_profiles')::bigint, 0::bigint, 'anon sees no profile');
SELECT is(current_setting('fx.auth_profiles')::bigint, 1::bigint, 'an authenticated user sees only their own profile');
SELECT is(current_setting('fx.service_profiles')::bigint, (SELECT count(*) FROM public.profiles),
          'service_role bypasses RLS');
SET LOCAL ROLE anon;
DO $$ BEGIN
    PERFORM count(*) FROM auth.users;
    PERFORM set_config('fx.anon_auth', 'readable', true);
EXCEPTION WHEN insufficient_privilege THEN
    PERFORM set_config('fx.anon_auth', 'denied', true);
END $$;
RESET ROLE;
SELECT is(current_setting('fx.anon_auth'), 'denied', 'anon reading auth.users is denied (42501)');

-- ---------------------------------------------------------------------------------------------
-- Drift helpers
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE fx_unknown AS SELECT * FROM dskv2_fixture.add_unknown_columns();
SELECT is((SELECT count(*)::int FROM fx_unknown WHERE non_null > 0), 8, 'add_unknown_columns(): 8 unmapped columns, each with data');
SELECT ok((SELECT bool_and(non_null < n) FROM fx_unknown u
           JOIN LATERAL (SELECT CASE u.table_name WHEN 'profiles' THEN (SELECT count(*) FROM public.profiles)
                                                 WHEN 'categories' THEN (SELECT count(*) FROM public.categories)
                                                 WHEN 'products' THEN (SELECT count(*) FROM public.products)
                                                 WHEN 'samples' THEN (SELECT count(*) FROM public.samples)
                                                 WHEN 'favorites' THEN (SELECT count(*) FROM public.favorites) END AS n) c ON true),
          'add_unknown_columns(): every unmapped column also has NULLs');
SELECT has_column('public', 'products', 'legacy_sku', 'products.legacy_sku added');
SELECT lives_ok($$SELECT * FROM dskv2_fixture.add_unknown_columns()$$, 'add_unknown_columns() is idempotent');
CREATE TEMP TABLE fx_dropped AS SELECT * FROM dskv2_fixture.drop_optional_columns();
SELECT is((SELECT count(*)::int FROM fx_dropped), 10, 'drop_optional_columns(): 10 optional columns dropped');
SELECT hasnt_column('public', 'products', 'language', 'products.language dropped');
SELECT hasnt_column('public', 'samples', 'file_type', 'samples.file_type dropped');
SELECT has_column('public', 'samples', 'file_url', 'required samples.file_url kept');
SELECT is((SELECT count(*)::int FROM dskv2_fixture.drop_optional_columns()), 0, 'drop_optional_columns() is idempotent');

SELECT * FROM finish();
ROLLBACK;
