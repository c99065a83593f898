-- pgTAP: re-runs, catch-up runs, the quarantine across runs, dskv2_retry_rejects, and
-- dskv2_migrate_table table by table = dskv2_migrate_all (docs/mapping.md, "Re-runs").
\ir legacy_setup.psql

-- ---------------------------------------------------------------------------------------------
-- Legacy data: users aaaaaaaa-…-0000000000NN (uNN), products bbbbbbbb-…-0000000000NN (PNN)
-- ---------------------------------------------------------------------------------------------
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at) VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', 'alice@example.com', '{}', '2023-01-01'),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'bob@example.com', '{}', '2023-01-02'),
    ('aaaaaaaa-0000-0000-0000-000000000003', 'ALICE@example.com', '{}', '2023-01-03');
INSERT INTO public.profiles (id, full_name, role, created_at) VALUES
    ('aaaaaaaa-0000-0000-0000-000000000001', 'Alice', 'admin', '2023-01-01'),
    ('aaaaaaaa-0000-0000-0000-000000000002', 'Bob', 'user', '2023-01-02'),
    ('aaaaaaaa-0000-0000-0000-000000000003', 'Alice Dup', 'user', '2023-01-03');
-- u13: a profile whose auth user is missing (orphan profile); its auth user arrives later.
SET LOCAL session_replication_role = replica;
INSERT INTO public.profiles (id, full_name, role, created_at)
VALUES ('aaaaaaaa-0000-0000-0000-000000000013', 'Ghost', 'premium', '2023-01-13');
SET LOCAL session_replication_role = origin;
INSERT INTO public.categories (id, name, created_at) VALUES (1, 'Marketing', '2023-01-01');
INSERT INTO public.products (id, title, price, category_id, created_by, created_at) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 'Pack', 10, 1, 'aaaaaaaa-0000-0000-0000-000000000001', '2023-01-01'),
    ('bbbbbbbb-0000-0000-0000-000000000002', 'Pack 2', 5, 1, NULL, '2023-01-02'),
    ('bbbbbbbb-0000-0000-0000-000000000003', 'Promo', -1, 1, NULL, '2023-01-03');
INSERT INTO public.samples (id, product_id, title, file_url, file_type, created_at) VALUES
    (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'S1', 'https://cdn.example.com/a.pdf', NULL, '2023-02-01'),
    (2, 'bbbbbbbb-0000-0000-0000-000000000003', 'S2', 'https://cdn.example.com/b.mp4', NULL, '2023-02-02');
INSERT INTO public.tags (id, product_id, name) VALUES
    (1, 'bbbbbbbb-0000-0000-0000-000000000001', 'SEO'),
    (2, 'bbbbbbbb-0000-0000-0000-000000000003', 'Promo'),
    (3, 'bbbbbbbb-0000-0000-0000-000000000001', '🔥');
INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (1, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-05'),
    (2, 'aaaaaaaa-0000-0000-0000-000000000013', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-06'),
    (3, 'aaaaaaaa-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000003', '2023-03-07'),
    (4, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000098', '2023-03-08');
INSERT INTO public.product_stats (product_id, views, downloads, favorites_count) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000001', 1, 1, 1),
    ('bbbbbbbb-0000-0000-0000-000000000003', 2, 2, 2);
INSERT INTO public.trending_ideas (id, title, category, created_at) VALUES (1, 'Idée', 'Marketing', '2023-04-01');
INSERT INTO public.admin_logs (id, action, created_at) VALUES (1, 'login', '2023-05-01');

-- md5 of a V2 table's ordered contents, without the given keys (NULL when the table is missing).
CREATE FUNCTION pg_temp.content(target name, tbl name, drop_keys text[] DEFAULT ARRAY['migration_run_id'])
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    IF to_regclass(format('%I.%I', target, tbl)) IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format($q$SELECT md5(coalesce(string_agg(j::text, E'\n' ORDER BY j::text), ''))
                        FROM (SELECT to_jsonb(t) - $1 AS j FROM %I.%I t %s) s$q$,
                   target, tbl, CASE WHEN tbl = 'admin_logs' THEN 'WHERE t.source = ''legacy''' ELSE '' END)
        INTO result USING drop_keys;
    RETURN result;
END $$;

CREATE TEMP TABLE runs (n int, ord bigint, source_table text, target_table text, rows_read bigint, rows_written bigint,
                        rows_merged bigint, rows_rejected bigint, warnings bigint);

SELECT plan(40);

-- ---------------------------------------------------------------------------------------------
-- Run 1, then run 2 on unchanged data
-- ---------------------------------------------------------------------------------------------
INSERT INTO runs SELECT 1, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT results_eq(
    $$SELECT source_table, rows_read, rows_written, rows_merged, rows_rejected FROM runs WHERE n = 1 ORDER BY ord$$,
    $$VALUES ('auth.users', 4::bigint, 2::bigint, 0::bigint, 2::bigint), ('categories', 1, 1, 0, 0), ('products', 3, 2, 0, 1),
             ('samples', 2, 1, 0, 1), ('tags', 3, 1, 0, 2), ('favorites', 4, 1, 0, 3), ('product_stats', 2, 1, 0, 1),
             ('trending_ideas', 1, 1, 0, 0), ('admin_logs', 1, 1, 0, 0)$$,
    'run 1: the first migration');
CREATE TEMP TABLE rejects_1 AS SELECT source_table, source_key, reason, run_id FROM dropskills_v2.migration_rejects;
SELECT is((SELECT count(*) FROM rejects_1), 10::bigint, 'run 1: 10 rows quarantined');
CREATE TEMP TABLE v2_1 AS
    SELECT t, pg_temp.content('dropskills_v2', t) AS md5
      FROM unnest(ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'favorites', 'pack_stats',
                        'trending_ideas', 'admin_logs']::name[]) t;

INSERT INTO runs SELECT 2, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT results_eq(
    $$SELECT source_table, rows_read, rows_written, rows_merged, rows_rejected, warnings FROM runs WHERE n = 2 ORDER BY ord$$,
    $$SELECT source_table, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint FROM runs WHERE n = 1 ORDER BY ord$$,
    'run 2 on unchanged data: zeros in every row (9 rows, same order)');
SELECT is((SELECT count(*) FROM v2_1 WHERE md5 IS DISTINCT FROM pg_temp.content('dropskills_v2', t)), 0::bigint,
          'run 2: V2 unchanged');
SELECT set_eq($$SELECT source_table, source_key, reason, run_id FROM dropskills_v2.migration_rejects$$,
              $$SELECT * FROM rejects_1$$, 'run 2: the quarantine unchanged (not re-examined)');

-- ---------------------------------------------------------------------------------------------
-- New legacy rows arrive: run 3 migrates just those
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.products (id, title, price, category_id, created_by, created_at) VALUES
    ('bbbbbbbb-0000-0000-0000-000000000004', 'Pack', 7, 1, 'aaaaaaaa-0000-0000-0000-000000000002', '2020-01-01');
INSERT INTO public.tags (id, product_id, name) VALUES
    (4, 'bbbbbbbb-0000-0000-0000-000000000001', ' seo '),
    (5, 'bbbbbbbb-0000-0000-0000-000000000004', 'Seo');
INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (5, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000001', '2023-03-01'),
    (6, 'aaaaaaaa-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000004', '2023-03-09'),
    (7, 'aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000003', '2023-03-10');
INSERT INTO runs SELECT 3, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT results_eq(
    $$SELECT source_table, rows_read, rows_written, rows_merged, rows_rejected FROM runs WHERE n = 3 ORDER BY ord$$,
    $$VALUES ('auth.users', 0::bigint, 0::bigint, 0::bigint, 0::bigint), ('categories', 0, 0, 0, 0), ('products', 1, 1, 0, 0),
             ('samples', 0, 0, 0, 0), ('tags', 2, 1, 1, 0), ('favorites', 3, 1, 1, 1), ('product_stats', 0, 0, 0, 0),
             ('trending_ideas', 0, 0, 0, 0), ('admin_logs', 0, 0, 0, 0)$$,
    'run 3: just the new rows, with the right counters');
SELECT is((SELECT count(*) FROM runs WHERE rows_read <> rows_written + rows_merged + rows_rejected), 0::bigint,
          'runs 1-3: conservation in every row');
SELECT results_eq(
    $$SELECT right(id::text, 2), slug COLLATE "default" FROM dropskills_v2.packs ORDER BY id$$,
    $$VALUES ('01', 'pack'), ('02', 'pack-2'), ('04', 'pack-3')$$,
    'run 3: a new product titled like existing ones takes the next free suffix; assigned slugs never change');
SELECT results_eq(
    $$SELECT right(pt.pack_id::text, 2), t.slug COLLATE "default", t.name FROM dropskills_v2.pack_tags pt
        JOIN dropskills_v2.tags t ON t.id = pt.tag_id ORDER BY 1$$,
    $$VALUES ('01', 'seo', 'SEO'), ('04', 'seo', 'SEO')$$,
    'run 3: a tag duplicating an existing pack_tag merges; a new pack reuses the existing tag');
SELECT is((SELECT count(*) FROM dropskills_v2.tags), 1::bigint, 'run 3: no new tag');
SELECT results_eq(
    $$SELECT right(user_id::text, 2), right(pack_id::text, 2), created_at FROM dropskills_v2.favorites ORDER BY 1, 2$$,
    $$VALUES ('01', '01', '2023-03-01 00:00+00'::timestamptz), ('02', '04', '2023-03-09 00:00+00')$$,
    'run 3: a new duplicate favorite with an earlier created_at merges and moves created_at back');
SELECT set_eq($$SELECT source_table, source_key, reason, run_id FROM dropskills_v2.migration_rejects
                 WHERE (source_table, source_key) IN (SELECT source_table, source_key FROM rejects_1)$$,
              $$SELECT * FROM rejects_1$$, 'run 3: the earlier quarantined rows stay quarantined, untouched');
SELECT results_eq(
    $$SELECT reason FROM dropskills_v2.migration_rejects WHERE source_table = 'favorites' AND source_key = '7'$$,
    $$VALUES ('orphan_pack'::text)$$, 'run 3: a new favorite of a quarantined product is orphan_pack');
SELECT ok((SELECT bool_and(migration_run_id = (SELECT max(id) FROM dropskills_v2.migration_runs))
             FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000004'),
          'run 3: the new pack carries run 3''s id');

-- ---------------------------------------------------------------------------------------------
-- Fixing legacy data, then dskv2_retry_rejects
-- ---------------------------------------------------------------------------------------------
UPDATE public.products SET price = 10 WHERE id = 'bbbbbbbb-0000-0000-0000-000000000003';
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES ('aaaaaaaa-0000-0000-0000-000000000013', 'ghost@example.com', '{}', '2023-01-13');

-- A normal run does not re-examine quarantined rows: the user whose auth row
-- arrived waits for the retry (its key is quarantined as orphan_user).
INSERT INTO runs SELECT 4, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT is((SELECT count(*) FROM runs WHERE n = 4 AND rows_read > 0), 0::bigint,
          'run 4: the quarantine is not re-examined by a normal run');
SELECT is((SELECT count(*) FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000013'), 0::bigint,
          'run 4: the formerly orphan profile waits for dskv2_retry_rejects');

INSERT INTO runs SELECT 5, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_retry_rejects() WITH ORDINALITY AS r;
SELECT results_eq(
    $$SELECT source_table, rows_read, rows_written, rows_merged, rows_rejected FROM runs
       WHERE n = 5 AND source_table NOT IN ('auth.users') ORDER BY ord$$,
    $$VALUES ('categories', 0::bigint, 0::bigint, 0::bigint, 0::bigint), ('products', 1, 1, 0, 0), ('samples', 1, 1, 0, 0),
             ('tags', 2, 1, 0, 1), ('favorites', 4, 3, 0, 1), ('product_stats', 1, 1, 0, 0), ('trending_ideas', 0, 0, 0, 0),
             ('admin_logs', 0, 0, 0, 0)$$,
    'retry: counters (fixed price, its children, the favorite whose user now exists)');
SELECT is((SELECT count(*) FROM runs WHERE n = 5), 9::bigint, 'retry: 9 report rows');
SELECT is((SELECT count(*) FROM runs WHERE n = 5 AND rows_read <> rows_written + rows_merged + rows_rejected), 0::bigint,
          'retry: conservation in every row');
SELECT results_eq(
    $$SELECT price, slug COLLATE "default" FROM dropskills_v2.packs WHERE id = 'bbbbbbbb-0000-0000-0000-000000000003'$$,
    $$VALUES (10.00::numeric, 'promo')$$, 'retry: the product whose price was fixed is in V2');
SELECT results_eq(
    $$SELECT (SELECT count(*) FROM dropskills_v2.samples WHERE id = 2),
             (SELECT count(*) FROM dropskills_v2.pack_stats WHERE pack_id = 'bbbbbbbb-0000-0000-0000-000000000003'),
             (SELECT count(*) FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags t ON t.id = pt.tag_id
               WHERE pt.pack_id = 'bbbbbbbb-0000-0000-0000-000000000003' AND t.slug = 'promo')$$,
    $$VALUES (1::bigint, 1::bigint, 1::bigint)$$, 'retry: its sample, stats and tag follow');
SELECT results_eq(
    $$SELECT right(user_id::text, 2), right(pack_id::text, 2), created_at FROM dropskills_v2.favorites ORDER BY 1, 2$$,
    $$VALUES ('01', '01', '2023-03-01 00:00+00'::timestamptz), ('01', '03', '2023-03-10 00:00+00'),
             ('02', '03', '2023-03-07 00:00+00'), ('02', '04', '2023-03-09 00:00+00'), ('13', '01', '2023-03-06 00:00+00')$$,
    'retry: the favorites whose user or pack now exists are in V2');
SELECT set_eq($$SELECT source_table, source_key, reason FROM dropskills_v2.migration_rejects
                 $$,
              $$VALUES ('auth.users', 'aaaaaaaa-0000-0000-0000-000000000003', 'duplicate_email'),
                       ('tags', '3', 'empty_tag'), ('favorites', '4', 'orphan_pack')$$,
              'retry: the rows that still fail stay, with their current reason');
SELECT results_eq(
    $$SELECT email, full_name, role FROM dropskills_v2.users WHERE id = 'aaaaaaaa-0000-0000-0000-000000000013'$$,
    $$VALUES ('ghost@example.com', 'Ghost', 'premium')$$, 'retry: the user joins its (formerly orphan) profile');
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects
            WHERE source_key = 'aaaaaaaa-0000-0000-0000-000000000013'), 0::bigint,
          'retry: the orphan profile whose auth user arrived (and is migrated) leaves the quarantine');
SELECT is((SELECT count(*) FROM dropskills_v2.migration_rejects r
            WHERE (r.source_table = 'products' AND EXISTS (SELECT 1 FROM dropskills_v2.packs p WHERE p.id::text = r.source_key))
               OR (r.source_table = 'samples' AND EXISTS (SELECT 1 FROM dropskills_v2.samples s WHERE s.id::text = r.source_key))),
          0::bigint, 'retry: no row is both in V2 and quarantined');
SELECT results_eq(
    $$SELECT mode, status FROM dropskills_v2.migration_runs ORDER BY id$$,
    $$VALUES ('atomic'::text, 'completed'::text), ('atomic', 'completed'), ('atomic', 'completed'), ('atomic', 'completed'),
             ('retry', 'completed')$$,
    'migration_runs: four atomic runs and one retry, all completed');
INSERT INTO runs SELECT 6, r.ordinality, r.source_table, r.target_table, r.rows_read, r.rows_written, r.rows_merged,
                        r.rows_rejected, r.warnings FROM dskv2_migrate_all() WITH ORDINALITY AS r;
SELECT is((SELECT sum(rows_read) FROM runs WHERE n = 6), 0::numeric, 'a migration after the retry: nothing left to read');

-- ---------------------------------------------------------------------------------------------
-- dskv2_migrate_table table by table = dskv2_migrate_all, on the same (final) legacy data
-- ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE all_report AS SELECT * FROM dskv2_migrate_all('public', 'v2_all') WITH ORDINALITY AS r;
CREATE TEMP TABLE tbl_report (LIKE all_report);
SELECT lives_ok(format($$INSERT INTO tbl_report SELECT *, %s FROM dskv2_migrate_table(%L, 'public', 'v2_tbl')$$, ord, t),
                'dskv2_migrate_table(' || t || ')')
  FROM unnest(ARRAY['auth.users', 'categories', 'products', 'samples', 'tags', 'favorites', 'product_stats',
                    'trending_ideas', 'admin_logs']) WITH ORDINALITY AS u(t, ord)
 ORDER BY ord;
SELECT results_eq(
    $$SELECT source_table, target_table, rows_read, rows_written, rows_merged, rows_rejected, warnings FROM tbl_report ORDER BY ordinality$$,
    $$SELECT source_table, target_table, rows_read, rows_written, rows_merged, rows_rejected, warnings FROM all_report ORDER BY ordinality$$,
    'dskv2_migrate_table per table: the same counters as dskv2_migrate_all');
SELECT is((SELECT count(*) FROM unnest(ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'favorites',
                                             'pack_stats', 'trending_ideas', 'admin_logs']::name[]) t
            WHERE pg_temp.content('v2_tbl', t) IS DISTINCT FROM pg_temp.content('v2_all', t)), 0::bigint,
          'dskv2_migrate_table per table: the same V2 contents as dskv2_migrate_all (md5, migration_run_id excluded)');
SELECT is(pg_temp.content('v2_tbl', 'migration_rejects', ARRAY['run_id', 'created_at']),
          pg_temp.content('v2_all', 'migration_rejects', ARRAY['run_id', 'created_at']),
          'dskv2_migrate_table per table: the same quarantine');

SELECT * FROM finish();
ROLLBACK;
