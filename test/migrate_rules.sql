-- pgTAP: every mapping rule and reject reason of docs/mapping.md on small hand-made messy legacy data,
-- with the exact V2 contents, the report counters, the quarantine, provenance, identities,
-- foreign-key actions, and no auth.users secret anywhere in the target schema.
\ir legacy_setup.psql

-- Unknown legacy columns (docs/mapping.md, "Unknown columns"): their non-NULL values go into `legacy` under their name.
ALTER TABLE public.products ADD COLUMN legacy_sku text;
ALTER TABLE public.profiles ADD COLUMN website text;

-- ---------------------------------------------------------------------------------------------
-- Legacy data. Users aaaaaaaa-…-0000000000NN (uNN), products bbbbbbbb-…-0000000000NN (PNN).
-- Every secret-like auth.users column carries the marker SECRETX.
-- ---------------------------------------------------------------------------------------------
INSERT INTO auth.users (id, email, is_sso_user, raw_user_meta_data, created_at, updated_at, deleted_at,
                        encrypted_password, confirmation_token, recovery_token, email_change_token_new,
                        reauthentication_token, raw_app_meta_data, phone, aud, role)
SELECT v.id::uuid, v.email, v.sso, v.meta::jsonb, v.created::timestamptz, v.created::timestamptz + interval '1 day',
       v.deleted::timestamptz,
       '$2a$10$SECRETXhash' || right(v.id, 2), 'SECRETX-conf-' || right(v.id, 2), 'SECRETX-recov-' || right(v.id, 2),
       'SECRETX-chg-' || right(v.id, 2), 'SECRETX-reauth-' || right(v.id, 2),
       jsonb_build_object('provider', 'email', 'app_secret', 'SECRETX-app-' || right(v.id, 2)),
       '+33SECRETX' || right(v.id, 2), 'authenticated', 'authenticated'
FROM (VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', '  Alice@Example.COM ', false, '{"full_name": "Meta Alice"}', '2023-01-01 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'alice@example.com',    false, '{}',                          '2023-01-02 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000003', 'BOB@example.com',      false, '{}',                          '2023-02-01 10:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000004', 'bob@example.com',      false, '{}',                          '2023-02-01 10:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000005', 'carol@example.com',    false, '{}',                          NULL,                  NULL),
    ('aaaaaaaa-0000-0000-0000-000000000006', 'Carol@Example.com',    false, '{}',                          '2024-01-01 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000007', '',                     true,  '{"full_name": "Meta Seven"}', '2023-03-01 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000008', '',                     true,  '{}',                          '2023-03-02 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000009', NULL,                   false, '{"full_name": "Meta Nine"}',  '2023-03-03 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000010', 'dave@example.com',     false, '{}',                          '2023-03-04 00:00+00', '2023-06-01 00:00+00'),
    ('aaaaaaaa-0000-0000-0000-000000000011', E'\teve@example.com ',  false, '{}',                          '2023-03-05 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000012', 'frank@example.com',    false, '{}',                          '2023-03-06 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000014', 'gina@example.com',     false, '{}',                          '2023-01-05 00:00+00', '2023-02-01 00:00+00'),
    ('aaaaaaaa-0000-0000-0000-000000000015', 'Gina@example.com',     false, '{}',                          '2023-04-01 00:00+00', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000016', 'alice@Example.com',    false, '{}',                          '2023-05-01 00:00+00', '2023-06-01 00:00+00')
) AS v (id, email, sso, meta, created, deleted);

INSERT INTO public.profiles (id, full_name, avatar_url, role, subscription_status, stripe_customer_id, created_at, website) VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', 'Alice A',   'https://img.example.com/a.png', ' ADMIN ', 'active', 'cus_001', '2023-01-01', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'Alice Dup', NULL, 'user',      NULL, NULL, '2023-01-02', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000003', 'Bob',       NULL, 'User',      NULL, NULL, '2023-02-01', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000004', 'Bob Dup',   NULL, 'user',      NULL, NULL, '2023-02-01', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000005', 'Carol Old', NULL, 'premium',   NULL, NULL, NULL,         NULL),
    ('aaaaaaaa-0000-0000-0000-000000000006', 'Carol',     NULL, 'PREMIUM',   'trialing', NULL, '2024-01-01', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000008', NULL,        NULL, NULL,        NULL, NULL, '2023-03-02', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000009', NULL,        NULL, 'moderator', NULL, NULL, '2023-03-03', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000010', 'Dave',      NULL, 'user',      NULL, NULL, '2023-03-04', NULL),
    ('aaaaaaaa-0000-0000-0000-000000000011', 'Eve',       NULL, 'Premium ',  NULL, NULL, '2023-03-05', 'https://eve.example'),
    ('aaaaaaaa-0000-0000-0000-000000000012', 'Frank',     NULL, '',          NULL, NULL, '2023-03-06', 'w12'),
    ('aaaaaaaa-0000-0000-0000-000000000015', 'Gina',      NULL, 'user',      NULL, NULL, '2023-04-01', NULL);
-- An orphan profile (no auth user), as manual fixes leave them.
SET LOCAL session_replication_role = replica;
INSERT INTO public.profiles (id, full_name, role, created_at)
VALUES ('aaaaaaaa-0000-0000-0000-000000000013', 'Ghost', 'admin', '2023-03-07');
SET LOCAL session_replication_role = origin;

-- Processing order: 7 (2022-12-31), 1, 2, 3, 4, 6, then 5 (NULL created_at).
INSERT INTO public.categories (id, name, description, icon, created_at) VALUES
    (1, 'Marketing Digital', 'd1', '📈', '2023-01-01'),
    (2, 'marketing-digital', NULL, NULL, '2023-01-02'),
    (3, 'Marketing  DIGITAL!', NULL, NULL, '2023-01-03'),
    (4, '🔥🔥', NULL, NULL, '2023-01-04'),
    (5, '✨', NULL, NULL, NULL),
    (6, 'Bien-être &amp; Santé', NULL, NULL, '2023-01-05'),
    (7, 'Marketing digital', NULL, NULL, '2022-12-31');
SELECT setval('public.categories_id_seq', 7) \g /dev/null

INSERT INTO public.products (id, title, description, price, category_id, thumbnail_url, file_url, format, language,
                             is_premium, is_published, created_by, created_at, updated_at, legacy_sku) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 'Pack', 'First', 10.00, 1, 'https://cdn.example.com/p1.png',
     'https://cdn.example.com/p1.zip', 'PDF', 'en', true, true, 'aaaaaaaa-0000-0000-0000-000000000001',
     '2023-01-01', '2023-01-10', NULL),
    ('bbbbbbbb-0000-0000-0000-000000000002', 'Pack', NULL, 0, NULL, NULL, NULL, NULL, 'fr', false, false,
     'aaaaaaaa-0000-0000-0000-000000000002', '2023-01-02', NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000003', 'Pack 2', NULL, NULL, NULL, NULL, NULL, NULL, 'fr', false, NULL,
     NULL, '2023-01-03', NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000005', '🚀🚀', NULL, 1, NULL, NULL, NULL, NULL, 'fr', false, true,
     NULL, '2023-01-04', NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000006', 'Formation Élégante', NULL, -5, 1, NULL, NULL, NULL, 'fr', false, true,
     'aaaaaaaa-0000-0000-0000-000000000001', '2023-01-05', NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000007', 'Guide SEO', NULL, 20, NULL, NULL, NULL, NULL, 'fr', false, true,
     'ffffffff-0000-0000-0000-000000000001', '2023-02-01', NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000008', 'Guide SEO Avancé', NULL, 30, NULL, NULL, NULL, NULL, 'fr', false, true,
     'aaaaaaaa-0000-0000-0000-000000000010', '2023-02-02', NULL, 'SKU-8'),
    ('bbbbbbbb-0000-0000-0000-000000000009', 'Ebook Cuisine', NULL, 15, 7, NULL, NULL, NULL, 'fr', false, true,
     'aaaaaaaa-0000-0000-0000-000000000003', '2023-02-03', NULL, NULL),
    -- Smallest id, NULL created_at: processed last.
    ('bbbbbbbb-0000-0000-0000-000000000000', 'Pack', NULL, 5, NULL, NULL, NULL, NULL, 'fr', false, true,
     NULL, NULL, NULL, NULL);

INSERT INTO public.samples (id, product_id, title, file_url, file_type, created_at) VALUES
    (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'S1', 'https://cdn.example.com/files/abc', 'PDF', '2023-05-01'),
    (2, 'bbbbbbbb-0000-0000-0000-000000000001', 'S2', 'https://cdn.example.com/files/clip', 'Vidéo', '2023-05-02'),
    (3, 'bbbbbbbb-0000-0000-0000-000000000002', 'S3', 'https://cdn.example.com/files/doc', 'application/pdf', '2023-05-03'),
    (4, 'bbbbbbbb-0000-0000-0000-000000000002', 'S4', 'https://cdn.example.com/files/Guide.PDF', NULL, '2023-05-04'),
    (5, 'bbbbbbbb-0000-0000-0000-000000000003', 'S5', NULL, NULL, NULL),
    (6, 'bbbbbbbb-0000-0000-0000-000000000006', 'S6', 'https://cdn.example.com/files/x.pdf', 'PDF', '2023-05-06'),
    (7, NULL, 'S7', 'https://cdn.example.com/files/y.pdf', 'PDF', '2023-05-07'),
    (9, 'bbbbbbbb-0000-0000-0000-000000000009', 'S9', 'https://cdn.example.com/files/abc', NULL, '2023-05-09');
SET LOCAL session_replication_role = replica;
INSERT INTO public.samples (id, product_id, title, file_url, file_type, created_at)
VALUES (8, 'bbbbbbbb-0000-0000-0000-000000000099', 'S8', 'https://cdn.example.com/files/z.pdf', 'PDF', '2023-05-08');
SET LOCAL session_replication_role = origin;

INSERT INTO public.tags (id, product_id, name) VALUES
    (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'SEO'),
    (2, 'bbbbbbbb-0000-0000-0000-000000000001', ' seo '),
    (3, 'bbbbbbbb-0000-0000-0000-000000000002', ' Seo '),
    (4, 'bbbbbbbb-0000-0000-0000-000000000002', '  Référencement  '),
    (5, 'bbbbbbbb-0000-0000-0000-000000000003', 'referencement'),
    (6, 'bbbbbbbb-0000-0000-0000-000000000003', '🔥'),
    (7, 'bbbbbbbb-0000-0000-0000-000000000003', '!!!'),
    (8, 'bbbbbbbb-0000-0000-0000-000000000006', 'Cuisine'),
    (9, NULL, 'Orphan Only'),
    (10, 'bbbbbbbb-0000-0000-0000-000000000007', 'SEO'),
    (11, 'bbbbbbbb-0000-0000-0000-000000000008', ' cuisine '),
    (12, 'bbbbbbbb-0000-0000-0000-000000000006', '🔥');

INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (1, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-02'),
    (2, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-01'),
    (3, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', NULL),
    (4, 'aaaaaaaa-0000-0000-0000-000000000003', 'bbbbbbbb-0000-0000-0000-000000000002', '2023-03-05'),
    (5, 'aaaaaaaa-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-06'),
    (6, 'ffffffff-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-07'),
    (7, 'ffffffff-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000099', '2023-03-08'),
    (8, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000006', '2023-03-09'),
    (9, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000098', '2023-03-10'),
    (10, 'aaaaaaaa-0000-0000-0000-000000000013', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-11'),
    (11, 'aaaaaaaa-0000-0000-0000-000000000006', 'bbbbbbbb-0000-0000-0000-000000000003', NULL);

INSERT INTO public.product_stats (product_id, views, downloads, favorites_count, last_viewed_at, updated_at) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 10, NULL, 3, '2023-06-01', '2023-06-02'),
    ('bbbbbbbb-0000-0000-0000-000000000002', -5, 2, NULL, NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000003', NULL, NULL, NULL, NULL, NULL),
    ('bbbbbbbb-0000-0000-0000-000000000006', 1, 1, 1, NULL, NULL);
SET LOCAL session_replication_role = replica;
INSERT INTO public.product_stats (product_id, views, downloads, favorites_count)
VALUES ('bbbbbbbb-0000-0000-0000-000000000099', 1, 1, 1);
SET LOCAL session_replication_role = origin;

INSERT INTO public.trending_ideas (id, title, description, category, score, source, metadata, created_at) VALUES
    (1, 'Idée: SEO local', 'desc', 'Marketing Digital', 4.5, 'google', '{"k": 1}', '2023-04-01'),
    (2, 'Idée: SEO local', NULL, 'marketing digital', -1, NULL, NULL, '2023-04-02'),
    (3, '???', NULL, 'Inconnue', NULL, NULL, '[1, 2]', '2023-04-03'),
    (4, '💡', NULL, NULL, NULL, NULL, NULL, '2023-04-04'),
    (5, 'Bien-être', NULL, '', NULL, NULL, NULL, '2023-04-05'),
    (6, 'Santé', NULL, 'Bien-être &amp; Santé', NULL, NULL, NULL, NULL);

INSERT INTO public.admin_logs (id, admin_id, action, target_type, target_id, details, ip_address, created_at) VALUES
    (1, 'aaaaaaaa-0000-0000-0000-000000000001', 'update', 'products', 'bbbbbbbb-0000-0000-0000-000000000001',
     '{"field": "price"}', '1.2.3.4', '2023-05-01'),
    (2, NULL, 'login', NULL, NULL, NULL, NULL, '2023-05-02'),
    (3, 'aaaaaaaa-0000-0000-0000-000000000001', 'delete', 'tags', '8', NULL, '::1', '2023-05-03'),
    (4, 'aaaaaaaa-0000-0000-0000-000000000001', 'export', NULL, NULL, '["a", "b"]', NULL, '2023-05-04'),
    (5, 'aaaaaaaa-0000-0000-0000-000000000001', 'note', NULL, NULL, '{"ip_address": "9.9.9.9", "x": 1}', '1.1.1.1', NULL);

-- Counts every row of every table of a schema whose text form matches a pattern.
CREATE FUNCTION pg_temp.schema_text_matches(target name, pattern text)
RETURNS TABLE (table_name text, hits bigint) LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = target AND c.relkind IN ('r', 'p') ORDER BY c.relname LOOP
        table_name := t.relname;
        EXECUTE format('SELECT count(*) FROM %I.%I x WHERE x::text ~* $1', target, t.relname) INTO hits USING pattern;
        RETURN NEXT;
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------------------------
-- The migration
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE report AS SELECT * FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT id AS run_id FROM dropskills_v2.migration_runs \gset

SELECT plan(68);

-- Report (docs/mapping.md, "Report"): 9 rows in order, exact counters, conservation.
SELECT results_eq(
    $$SELECT source_table, target_table, rows_read, rows_written, rows_merged, rows_rejected, warnings
        FROM report ORDER BY ordinality$$,
    $$VALUES ('auth.users', 'users', 16::bigint, 9::bigint, 0::bigint, 7::bigint, 2::bigint),
             ('categories', 'categories', 7, 7, 0, 0, 0),
             ('products', 'packs', 9, 8, 0, 1, 3),
             ('samples', 'samples', 9, 6, 0, 3, 0),
             ('tags', 'pack_tags', 12, 6, 1, 5, 0),
             ('favorites', 'favorites', 11, 3, 2, 6, 0),
             ('product_stats', 'pack_stats', 5, 3, 0, 2, 1),
             ('trending_ideas', 'trending_ideas', 6, 6, 0, 0, 0),
             ('admin_logs', 'admin_logs', 5, 5, 0, 0, 0)$$,
    'report: 9 rows in report order with the exact counters');
SELECT is((SELECT count(*) FROM report WHERE rows_read <> rows_written + rows_merged + rows_rejected), 0::bigint,
          'report: rows_read = rows_written + rows_merged + rows_rejected for every table');
SELECT ok((SELECT bool_and(duration_ms >= 0) FROM report), 'report: duration_ms filled');

-- migration_runs
SELECT results_eq($$SELECT mode, status, finished_at IS NOT NULL FROM dropskills_v2.migration_runs$$,
                  $$VALUES ('atomic'::text, 'completed'::text, true)$$,
                  'migration_runs: one completed atomic run');

-- ---------------------------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT right(id::text, 2), email, full_name, role FROM dropskills_v2.users WHERE id <> 'aaaaaaaa-0000-0000-0000-000000000011'
       UNION ALL SELECT right(id::text, 2), NULL, full_name, role FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000011'
       ORDER BY 1$$,
    $$VALUES ('01', 'alice@example.com', 'Alice A', 'admin'),
             ('03', 'bob@example.com', 'Bob', 'user'),
             ('06', 'carol@example.com', 'Carol', 'premium'),
             ('07', NULL, 'Meta Seven', 'user'),
             ('08', NULL, NULL, 'user'),
             ('09', NULL, 'Meta Nine', 'user'),
             ('11', NULL, 'Eve', 'premium'),
             ('12', 'frank@example.com', 'Frank', 'user'),
             ('15', 'gina@example.com', 'Gina', 'user')$$,
    'users: emails trimmed and lower-cased ('''' -> NULL; the tab-padded one checked below), full_name from the profile else the metadata, roles normalised');
SELECT is((SELECT email FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000001'),
          'alice@example.com', 'users: a space-padded, mixed-case email is trimmed and lower-cased');
SELECT is((SELECT email FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000011'),
          'eve@example.com', 'users: an email padded with a tab is trimmed too');
SELECT results_eq(
    $$SELECT avatar_url, subscription_status, stripe_customer_id, created_at FROM dropskills_v2.users
       WHERE id = 'aaaaaaaa-0000-0000-0000-000000000001'$$,
    $$VALUES ('https://img.example.com/a.png', 'active', 'cus_001', '2023-01-01 00:00+00'::timestamptz)$$,
    'users: profile columns kept, created_at = auth.users.created_at');
SELECT results_eq(
    $$SELECT right(id::text, 2), legacy FROM dropskills_v2.users WHERE legacy IS NOT NULL ORDER BY id$$,
    $$VALUES ('09', '{"role": "moderator"}'::jsonb),
             ('11', '{"website": "https://eve.example"}'::jsonb),
             ('12', '{"role": "", "website": "w12"}'::jsonb)$$,
    'users: legacy = unknown profile columns plus the original role when it was replaced (NULL role: nothing)');
SELECT results_eq(
    $$SELECT source_key, reason FROM dropskills_v2.migration_rejects
       WHERE source_table IN ('auth.users', 'profiles') ORDER BY source_key$$,
    $$VALUES ('aaaaaaaa-0000-0000-0000-000000000002', 'duplicate_email'),
             ('aaaaaaaa-0000-0000-0000-000000000004', 'duplicate_email'),
             ('aaaaaaaa-0000-0000-0000-000000000005', 'duplicate_email'),
             ('aaaaaaaa-0000-0000-0000-000000000010', 'deleted_user'),
             ('aaaaaaaa-0000-0000-0000-000000000013', 'orphan_user'),
             ('aaaaaaaa-0000-0000-0000-000000000014', 'deleted_user'),
             ('aaaaaaaa-0000-0000-0000-000000000016', 'duplicate_email')$$,
    'users rejects: case-insensitive duplicates (oldest kept, ties by id, NULL created_at last), deleted users, orphan profile');
SELECT is((SELECT source_table FROM dropskills_v2.migration_rejects WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000013'),
          'auth.users', 'users rejects: the orphan profile is quarantined under the users mapping''s table, auth.users (implementation choice)');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000004'),
          'duplicate_email', 'users: same email and same created_at -> the smaller id wins');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000005'),
          'duplicate_email', 'users: a NULL created_at sorts last, so the dated duplicate is kept');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000016'),
          'duplicate_email', 'users: a deleted duplicate gets duplicate_email (own checks in their order), one reason');
SELECT ok(EXISTS (SELECT 1 FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000015'),
          'users: an older soft-deleted user does not hold the email: the live younger one is kept (implementation choice)');
SELECT results_eq(
    $$SELECT row_data->>'email', row_data->'profile'->>'full_name', (row_data->>'created_at')::timestamptz
        FROM dropskills_v2.migration_rejects WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000002'$$,
    $$VALUES ('alice@example.com', 'Alice Dup', '2023-01-02 00:00+00'::timestamptz)$$,
    'users rejects: row_data holds the legacy auth row and its profile');
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects, jsonb_object_keys(row_data) k
            WHERE source_table = 'auth.users'
              AND k NOT IN ('id', 'email', 'raw_user_meta_data', 'created_at', 'updated_at', 'last_sign_in_at',
                            'deleted_at', 'profile')), 0::bigint,
          'users rejects: row_data carries only the auth.users columns the mapping reads (plus the profile)');
SELECT is((SELECT sum(hits) FROM pg_temp.schema_text_matches('dropskills_v2',
              'SECRETX|encrypted_password|raw_app_meta_data|confirmation_token|recovery_token|email_change_token|reauthentication_token|phone')),
          0::numeric, 'no auth.users secret (hash, token, app metadata, phone) in any target table, legacy or quarantine');
SELECT ok((SELECT sum(hits) FROM pg_temp.schema_text_matches('auth', 'SECRETX')) = 15
          AND (SELECT sum(hits) FROM pg_temp.schema_text_matches('dropskills_v2', 'Meta Seven|Alice Dup')) = 2,
          'the text search finds what is there (15 auth users with secrets; a V2 value; a quarantined value)');

-- ---------------------------------------------------------------------------------------------
-- categories
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT id, name, slug COLLATE "default", description, icon FROM dropskills_v2.categories ORDER BY id$$,
    $$VALUES (1, 'Marketing Digital', 'marketing-digital-2', 'd1', '📈'),
             (2, 'marketing-digital', 'marketing-digital-3', NULL, NULL),
             (3, 'Marketing  DIGITAL!', 'marketing-digital-4', NULL, NULL),
             (4, '🔥🔥', 'category', NULL, NULL),
             (5, '✨', 'category-2', NULL, NULL),
             (6, 'Bien-être &amp; Santé', 'bien-etre-sante', NULL, NULL),
             (7, 'Marketing digital', 'marketing-digital', NULL, NULL)$$,
    'categories: same ids, slug = slugify(name), empty -> category, collisions -2/-3 in (created_at NULLS LAST, id) order');

-- ---------------------------------------------------------------------------------------------
-- packs
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT right(id::text, 2), slug COLLATE "default", title, status, right(author_id::text, 2), price FROM dropskills_v2.packs
       ORDER BY id$$,
    $$VALUES ('00', 'pack-4', 'Pack', 'published', NULL, 5.00::numeric),
             ('01', 'pack', 'Pack', 'published', '01', 10.00),
             ('02', 'pack-2', 'Pack', 'draft', NULL, 0.00),
             ('03', 'pack-2-2', 'Pack 2', 'draft', NULL, NULL),
             ('05', 'pack-3', '🚀🚀', 'published', NULL, 1.00),
             ('07', 'guide-seo', 'Guide SEO', 'published', NULL, 20.00),
             ('08', 'guide-seo-avance', 'Guide SEO Avancé', 'published', NULL, 30.00),
             ('09', 'ebook-cuisine', 'Ebook Cuisine', 'published', '03', 15.00)$$,
    'packs: same ids; slugs Pack/Pack/Pack 2 -> pack, pack-2, pack-2-2; empty slug in the pack family; NULL created_at last; status; author only when the user is in V2');
SELECT results_eq(
    $$SELECT description, category_id, cover_url, f.file_url, format, language, is_premium, created_at, updated_at
        FROM dropskills_v2.packs p JOIN dropskills_v2.pack_files f ON f.pack_id = p.id
       WHERE p.id = 'bbbbbbbb-0000-0000-0000-000000000001'$$,
    $$VALUES ('First', 1, 'https://cdn.example.com/p1.png', 'https://cdn.example.com/p1.zip', 'PDF', 'en', true,
              '2023-01-01 00:00+00'::timestamptz, '2023-01-10 00:00+00'::timestamptz)$$,
    'packs: thumbnail_url -> cover_url, file_url -> pack_files, the other columns by name');
SELECT is((SELECT status FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000003'), 'draft',
          'packs: NULL is_published -> draft');
SELECT is((SELECT category_id FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000009'), 7,
          'packs: category_id kept');
SELECT results_eq(
    $$SELECT right(id::text, 2), legacy FROM dropskills_v2.packs WHERE legacy IS NOT NULL ORDER BY id$$,
    $$VALUES ('08', '{"legacy_sku": "SKU-8"}'::jsonb)$$,
    'packs: the unknown column products.legacy_sku goes into legacy under its name (NULL values left out)');
SELECT results_eq(
    $$SELECT source_key, reason, row_data->>'title', (row_data->>'price')::numeric FROM dropskills_v2.migration_rejects
       WHERE source_table = 'products'$$,
    $$VALUES ('bbbbbbbb-0000-0000-0000-000000000006', 'negative_price', 'Formation Élégante', -5::numeric)$$,
    'packs rejects: negative_price, with the legacy row in row_data');

-- ---------------------------------------------------------------------------------------------
-- samples
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT id, right(pack_id::text, 2), title, url, type, created_at FROM dropskills_v2.samples ORDER BY id$$,
    $$VALUES (1, '01', 'S1', 'https://cdn.example.com/files/abc', 'pdf', '2023-05-01 00:00+00'::timestamptz),
             (2, '01', 'S2', 'https://cdn.example.com/files/clip', 'video', '2023-05-02 00:00+00'),
             (3, '02', 'S3', 'https://cdn.example.com/files/doc', 'pdf', '2023-05-03 00:00+00'),
             (4, '02', 'S4', 'https://cdn.example.com/files/Guide.PDF', 'pdf', '2023-05-04 00:00+00'),
             (5, '03', 'S5', NULL, 'unknown', NULL),
             (9, '09', 'S9', 'https://cdn.example.com/files/abc', 'link', '2023-05-09 00:00+00')$$,
    'samples: same ids, pack_id, url, type from the URL and the free-text file_type (PDF, Vidéo, application/pdf, NULL)');
SELECT is((SELECT count(*) FROM dropskills_v2.samples s JOIN public.samples l USING (id)
            WHERE s.type <> dskv2_detect_sample_type(l.file_url, l.file_type)), 0::bigint,
          'samples: type = dskv2_detect_sample_type(file_url, file_type) for every row');
SELECT results_eq(
    $$SELECT source_key, reason FROM dropskills_v2.migration_rejects WHERE source_table = 'samples' ORDER BY source_key$$,
    $$VALUES ('6', 'orphan_pack'), ('7', 'orphan_pack'), ('8', 'orphan_pack')$$,
    'samples rejects: rejected product, NULL product and missing product -> orphan_pack');

-- ---------------------------------------------------------------------------------------------
-- tags
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT name, slug COLLATE "default" FROM dropskills_v2.tags ORDER BY slug$$,
    $$VALUES ('cuisine', 'cuisine'), ('Référencement', 'referencement'), ('SEO', 'seo')$$,
    'tags: one per distinct slug, named by the first accepted row''s trimmed name; rejected rows create no tag');
SELECT results_eq(
    $$SELECT right(pt.pack_id::text, 2), t.slug COLLATE "default" FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags t ON t.id = pt.tag_id
       ORDER BY 1, 2$$,
    $$VALUES ('01', 'seo'), ('02', 'referencement'), ('02', 'seo'), ('03', 'referencement'), ('07', 'seo'), ('08', 'cuisine')$$,
    'pack_tags: one per legacy row, the duplicate (pack, tag) merged');
SELECT results_eq(
    $$SELECT source_key, reason FROM dropskills_v2.migration_rejects WHERE source_table = 'tags' ORDER BY source_key::int$$,
    $$VALUES ('6', 'empty_tag'), ('7', 'empty_tag'), ('8', 'orphan_pack'), ('9', 'orphan_pack'), ('12', 'orphan_pack')$$,
    'tags rejects: empty_tag; orphan_pack (NULL or rejected pack) checked before empty_tag');
SELECT is((SELECT count(*) FROM dropskills_v2.tags WHERE slug IN ('orphan-only', '')), 0::bigint,
          'tags: the rejected rows created no tag');

-- ---------------------------------------------------------------------------------------------
-- favorites
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT right(user_id::text, 2), right(pack_id::text, 2), created_at FROM dropskills_v2.favorites ORDER BY 1, 2$$,
    $$VALUES ('01', '01', '2023-03-01 00:00+00'::timestamptz), ('03', '02', '2023-03-05 00:00+00'), ('06', '03', NULL)$$,
    'favorites: duplicates merged into one row with the earliest created_at');
SELECT results_eq(
    $$SELECT source_key, reason FROM dropskills_v2.migration_rejects WHERE source_table = 'favorites' ORDER BY source_key::int$$,
    $$VALUES ('5', 'orphan_user'), ('6', 'orphan_user'), ('7', 'orphan_user'), ('8', 'orphan_pack'), ('9', 'orphan_pack'),
             ('10', 'orphan_user')$$,
    'favorites rejects: rejected/unknown/orphan-profile users -> orphan_user, checked before orphan_pack');

-- ---------------------------------------------------------------------------------------------
-- pack_stats
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT right(pack_id::text, 2), views, downloads, favorites_count, last_viewed_at FROM dropskills_v2.pack_stats ORDER BY 1$$,
    $$VALUES ('01', 10::bigint, 0::bigint, 3::bigint, '2023-06-01 00:00+00'::timestamptz),
             ('02', 0, 2, 0, NULL), ('03', 0, 0, 0, NULL)$$,
    'pack_stats: NULL counters -> 0, negative -> 0');
SELECT results_eq(
    $$SELECT source_key, reason FROM dropskills_v2.migration_rejects WHERE source_table = 'product_stats' ORDER BY source_key$$,
    $$VALUES ('bbbbbbbb-0000-0000-0000-000000000006', 'orphan_pack'), ('bbbbbbbb-0000-0000-0000-000000000099', 'orphan_pack')$$,
    'pack_stats rejects: orphan_pack');

-- ---------------------------------------------------------------------------------------------
-- trending_ideas
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT id, title, slug COLLATE "default", category_id, category_label, score, source, data, description, created_at
        FROM dropskills_v2.trending_ideas ORDER BY id$$,
    $$VALUES (1, 'Idée: SEO local', 'idee-seo-local', 7, 'Marketing Digital', 4.5::numeric, 'google', '{"k": 1}'::jsonb,
              'desc', '2023-04-01 00:00+00'::timestamptz),
             (2, 'Idée: SEO local', 'idee-seo-local-2', 7, 'marketing digital', -1, NULL, NULL, NULL, '2023-04-02 00:00+00'),
             (3, '???', 'idea', NULL, 'Inconnue', NULL, NULL, '[1, 2]', NULL, '2023-04-03 00:00+00'),
             (4, '💡', 'idea-2', NULL, NULL, NULL, NULL, NULL, NULL, '2023-04-04 00:00+00'),
             (5, 'Bien-être', 'bien-etre', NULL, '', NULL, NULL, NULL, NULL, '2023-04-05 00:00+00'),
             (6, 'Santé', 'sante', 6, 'Bien-être &amp; Santé', NULL, NULL, NULL, NULL, NULL)$$,
    'trending_ideas: same ids, slug (empty -> idea), metadata -> data, category by slug else NULL, category_label original');

-- ---------------------------------------------------------------------------------------------
-- admin_logs
-- ---------------------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT id, actor_id, action, table_name, record_id, details, source, created_at FROM dropskills_v2.admin_logs
       WHERE source = 'legacy' ORDER BY id$$,
    $$VALUES (1::bigint, 'aaaaaaaa-0000-0000-0000-000000000001'::uuid, 'update', 'products',
              'bbbbbbbb-0000-0000-0000-000000000001', '{"field": "price", "ip_address": "1.2.3.4"}'::jsonb, 'legacy',
              '2023-05-01 00:00+00'::timestamptz),
             (2, NULL, 'login', NULL, NULL, '{}', 'legacy', '2023-05-02 00:00+00'),
             (3, 'aaaaaaaa-0000-0000-0000-000000000001', 'delete', 'tags', '8', '{"ip_address": "::1"}', 'legacy',
              '2023-05-03 00:00+00'),
             (4, 'aaaaaaaa-0000-0000-0000-000000000001', 'export', NULL, NULL, '{"legacy_details": ["a", "b"]}', 'legacy',
              '2023-05-04 00:00+00'),
             (5, 'aaaaaaaa-0000-0000-0000-000000000001', 'note', NULL, NULL, '{"x": 1, "ip_address": "9.9.9.9"}', 'legacy',
              NULL)$$,
    'admin_logs: same ids, actor_id/table_name/record_id, details + ip_address ({} when NULL; a non-object kept under legacy_details; an ip_address already in details stays), source legacy');
SELECT is((SELECT legacy FROM dropskills_v2.admin_logs WHERE id = 5), '{"ip_address": "1.1.1.1"}'::jsonb,
          'admin_logs: a differing ip_address column is kept in legacy, never overwritten (implementation choice)');

-- ---------------------------------------------------------------------------------------------
-- The quarantine
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects), (SELECT sum(rows_rejected) FROM report)::bigint,
          'migration_rejects: one row per rejected legacy row (one reason each)');
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects
            WHERE reason NOT IN ('orphan_user', 'orphan_pack', 'negative_price', 'empty_tag', 'duplicate_email', 'deleted_user')),
          0::bigint, 'migration_rejects: every reason is a documented one');
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects
            WHERE run_id IS DISTINCT FROM :run_id OR created_at IS NULL OR row_data IS NULL), 0::bigint,
          'migration_rejects: run_id, created_at and row_data filled');
SELECT has_column('dropskills_v2', 'migration_rejects', c, 'migration_rejects.' || c)
  FROM unnest(ARRAY['source_table', 'source_key', 'reason', 'row_data', 'run_id', 'created_at']) c;
SELECT is((SELECT (row_data->>'id')::int FROM dropskills_v2.migration_rejects WHERE source_table = 'tags' AND source_key = '6'),
          6, 'migration_rejects: row_data is the legacy row');
SELECT col_is_unique('dropskills_v2', 'migration_rejects', ARRAY['source_table', 'source_key'],
                     'migration_rejects: UNIQUE (source_table, source_key)');

-- ---------------------------------------------------------------------------------------------
-- Provenance and identities
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM (
              SELECT migration_run_id FROM dropskills_v2.users UNION ALL
              SELECT migration_run_id FROM dropskills_v2.categories UNION ALL
              SELECT migration_run_id FROM dropskills_v2.packs UNION ALL
              SELECT migration_run_id FROM dropskills_v2.samples UNION ALL
              SELECT migration_run_id FROM dropskills_v2.tags UNION ALL
              SELECT migration_run_id FROM dropskills_v2.pack_tags UNION ALL
              SELECT migration_run_id FROM dropskills_v2.favorites UNION ALL
              SELECT migration_run_id FROM dropskills_v2.pack_stats UNION ALL
              SELECT migration_run_id FROM dropskills_v2.trending_ideas UNION ALL
              SELECT migration_run_id FROM dropskills_v2.admin_logs WHERE source = 'legacy') m
            WHERE migration_run_id IS DISTINCT FROM :run_id), 0::bigint,
          'provenance: every V2 row from legacy carries the run id');
INSERT INTO dropskills_v2.categories (name, slug) VALUES ('App category', 'app-category');
SELECT cmp_ok((SELECT id FROM dropskills_v2.categories WHERE slug = 'app-category'), '>', 7 + 1000000,
              'identities: an application-created category gets an id above the legacy max + 1,000,000');
SELECT is((SELECT migration_run_id FROM dropskills_v2.categories WHERE slug = 'app-category'), NULL,
          'provenance: an application-created row has no migration_run_id');
INSERT INTO dropskills_v2.samples (pack_id, url, type) VALUES ('bbbbbbbb-0000-0000-0000-000000000001', 'x', 'link');
SELECT cmp_ok((SELECT max(id) FROM dropskills_v2.samples), '>', 9 + 1000000,
              'identities: an application-created sample gets an id above the legacy max + 1,000,000');
INSERT INTO dropskills_v2.trending_ideas (title, slug) VALUES ('App idea', 'app-idea');
SELECT cmp_ok((SELECT max(id) FROM dropskills_v2.trending_ideas), '>', 6 + 1000000,
              'identities: trending_ideas too');
INSERT INTO dropskills_v2.admin_logs (action, source) VALUES ('app', 'trigger');
SELECT cmp_ok((SELECT max(id) FROM dropskills_v2.admin_logs), '>', 5 + 1000000::bigint,
              'identities: admin_logs too');

-- The legacy data is untouched.
SELECT is((SELECT count(*) FROM public.products), 9::bigint, 'legacy: products untouched');
SELECT is((SELECT price FROM public.products WHERE id = 'bbbbbbbb-0000-0000-0000-000000000006'), -5.00::numeric(10,2),
          'legacy: a rejected row is left as it was');

-- ---------------------------------------------------------------------------------------------
-- Foreign-key actions
-- ---------------------------------------------------------------------------------------------
DELETE FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000001';
SELECT is((SELECT count(*) FROM dropskills_v2.samples WHERE pack_id = 'bbbbbbbb-0000-0000-0000-000000000001'), 0::bigint,
          'deleting a pack cascades to samples');
SELECT is((SELECT count(*) FROM dropskills_v2.pack_tags WHERE pack_id = 'bbbbbbbb-0000-0000-0000-000000000001'), 0::bigint,
          'deleting a pack cascades to pack_tags');
SELECT is((SELECT count(*) FROM dropskills_v2.favorites WHERE pack_id = 'bbbbbbbb-0000-0000-0000-000000000001'), 0::bigint,
          'deleting a pack cascades to favorites');
SELECT is((SELECT count(*) FROM dropskills_v2.pack_stats WHERE pack_id = 'bbbbbbbb-0000-0000-0000-000000000001'), 0::bigint,
          'deleting a pack cascades to pack_stats');
DELETE FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000003';
SELECT results_eq($$SELECT author_id FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000009'$$,
                  $$VALUES (NULL::uuid)$$, 'deleting a user sets packs.author_id NULL');
SELECT is((SELECT count(*) FROM dropskills_v2.favorites WHERE user_id = 'aaaaaaaa-0000-0000-0000-000000000003'), 0::bigint,
          'deleting a user cascades to favorites');
DELETE FROM dropskills_v2.categories WHERE id = 7;
SELECT results_eq(
    $$SELECT (SELECT category_id FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000009'),
             (SELECT count(category_id) FROM dropskills_v2.trending_ideas WHERE id IN (1, 2))$$,
    $$VALUES (NULL::int, 0::bigint)$$,
    'deleting a category sets packs.category_id and trending_ideas.category_id NULL');
DELETE FROM dropskills_v2.tags WHERE slug = 'referencement';
SELECT is((SELECT count(*) FROM dropskills_v2.pack_tags pt WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.tags t WHERE t.id = pt.tag_id)),
          0::bigint, 'deleting a tag cascades to pack_tags');
SELECT ok((SELECT count(*) FROM dropskills_v2.pack_tags) = 3, 'pack_tags left: (02, seo), (07, seo), (08, cuisine)');

SELECT * FROM finish();
ROLLBACK;
