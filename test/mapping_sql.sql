-- pgTAP: the statements dskv2_mapping_sql generates (src/core/mapping.cpp), run
-- as they are against a real database on small hand-made legacy data, and
-- judged by the ROWS they return and write, not by their text: reasons and
-- their priority, counters, V2 rows, merges, the quarantine, stage numbering,
-- the verification, live sync's statements and fast paths, and the keys the
-- catch-up (reconcile) finds.
\ir legacy_setup.psql
SELECT plan(104);

-- The rows the migration writes are not audited one by one (as the migration
-- does it: the backend-local flag, for this transaction).
SELECT dskv2_audit_suppress(true) IS NOT NULL AS suppressed \g /dev/null
SELECT dskv2_create_schema();

-- The statement of one mapping for one purpose and row set (run id 7).
CREATE FUNCTION pg_temp.stmt(tbl text, purpose text, row_set text DEFAULT 'pending', run_id bigint DEFAULT 7)
RETURNS text LANGUAGE sql AS $$ SELECT dskv2_mapping_sql(tbl, purpose, 'public', 'dropskills_v2', run_id, row_set) $$;
-- Runs it and returns its rows as jsonb: $1 is the keys (text[]) and $2 the
-- "deleted" flag of live sync when the statement uses them.
CREATE FUNCTION pg_temp.run(tbl text, purpose text, row_set text DEFAULT 'pending', keys text[] DEFAULT NULL,
                            deleted boolean DEFAULT false)
RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE
    sql text := pg_temp.stmt(tbl, purpose, row_set);
    r record;
BEGIN
    -- The verification's columns are named by dskv2_verify_integrity.
    IF purpose = 'verify' THEN
        sql := 'SELECT * FROM (' || sql || ') v (check_name, table_name, ok, expected, actual, detail, keys)';
    END IF;
    IF position('$2' IN sql) > 0 THEN
        FOR r IN EXECUTE sql USING keys, deleted LOOP RETURN NEXT to_jsonb(r); END LOOP;
    ELSIF position('$1' IN sql) > 0 THEN
        FOR r IN EXECUTE sql USING keys LOOP RETURN NEXT to_jsonb(r); END LOOP;
    ELSE
        FOR r IN EXECUTE sql LOOP RETURN NEXT to_jsonb(r); END LOOP;
    END IF;
END $$;
-- The mapped rows' keys and reasons, in processing order: "key=reason" ("key=ok").
CREATE FUNCTION pg_temp.reasons(tbl text, row_set text DEFAULT 'pending', keys text[] DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(r->>'_key' || '=' || COALESCE(r->>'_reason', 'ok'), ' '
                      ORDER BY (r->>'_o1')::timestamptz NULLS LAST, r->'_o2')
      FROM pg_temp.run(tbl, 'mapped', row_set, keys) r $$;
-- A migrate statement's counters: "read written merged rejected warnings".
CREATE FUNCTION pg_temp.migrate(tbl text, row_set text DEFAULT 'pending', keys text[] DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    SELECT format('%s %s %s %s %s', r->>'rows_read', r->>'rows_written', r->>'rows_merged', r->>'rows_rejected',
                  r->>'warnings') || COALESCE(' released ' || (r->>'released'), '')
      FROM pg_temp.run(tbl, 'migrate', row_set, keys) r $$;
-- The quarantine of one legacy table: "key=reason" by key.
CREATE FUNCTION pg_temp.rejects(tbl text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(source_key || '=' || reason, ' ' ORDER BY source_key)
      FROM dropskills_v2.migration_rejects WHERE source_table = tbl $$;

-- Shorter keys in the outputs: users a0000000-…-0000000000NN as uNN, products b0000000-…-0000000000NN as pNN.
CREATE FUNCTION pg_temp.short(t text) RETURNS text LANGUAGE sql AS $$
    SELECT regexp_replace(regexp_replace(t, E'a0000000-0000-4000-8000-0000000000(\\d\\d)', E'u\\1', 'g'),
                          E'b0000000-0000-4000-8000-0000000000(\\d\\d)', E'p\\1', 'g') $$;

-- ---------------------------------------------------------------------------------------------
-- Legacy data
-- ---------------------------------------------------------------------------------------------
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at, updated_at, deleted_at)
SELECT ('a0000000-0000-4000-8000-0000000000' || v.n)::uuid, v.email, v.meta::jsonb, v.created::timestamptz,
       v.created::timestamptz + interval '1 hour', v.deleted::timestamptz
FROM (VALUES
    ('01', ' Alice@Example.com ', '{}',                     '2023-01-01', NULL),
    ('02', 'alice@example.com',   '{}',                     '2023-01-02', NULL),           -- duplicate of u01
    ('03', 'carol@example.com',   '{}',                     '2023-01-03', '2023-06-01'),   -- deleted
    ('04', 'ALICE@example.com',   '{}',                     '2023-01-04', '2023-06-01'),   -- duplicate AND deleted
    ('05', 'bob@example.com',     '{}',                     '2023-01-05', NULL),
    ('06', 'dan@example.com',     '{"full_name": "Dan"}',   NULL,         NULL)            -- processed last
) AS v (n, email, meta, created, deleted);
INSERT INTO public.profiles (id, full_name, role, created_at, updated_at) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'Alice', ' Admin ', '2023-01-01', '2023-02-01'),
    ('a0000000-0000-4000-8000-000000000005', 'Bob', 'boss', '2023-01-05', NULL);
SET LOCAL session_replication_role = replica;
INSERT INTO public.profiles (id, full_name, role, created_at)
VALUES ('a0000000-0000-4000-8000-000000000009', 'Ghost', 'user', '2023-01-06');   -- no auth user
SET LOCAL session_replication_role = origin;

INSERT INTO public.categories (id, name, description, icon, created_at) VALUES
    (1, 'Marketing', 'm', '📈', '2023-01-01'),
    (2, 'marketing!', NULL, NULL, '2023-01-02'),
    (3, 'Santé', NULL, NULL, NULL);
SELECT setval('public.categories_id_seq', 3) \g /dev/null

INSERT INTO public.products (id, title, price, category_id, is_published, created_by, created_at) VALUES
    ('b0000000-0000-4000-8000-000000000001', 'Guide', 10, 1, true, 'a0000000-0000-4000-8000-000000000001', '2023-02-01'),
    ('b0000000-0000-4000-8000-000000000002', 'Guide', -5, 2, true, 'a0000000-0000-4000-8000-000000000001', '2023-02-02'),
    ('b0000000-0000-4000-8000-000000000003', 'Guide', 5, NULL, false, 'a0000000-0000-4000-8000-000000000002', '2023-02-03'),
    ('b0000000-0000-4000-8000-000000000004', 'Outil', -1, NULL, true, 'a0000000-0000-4000-8000-000000000099', '2023-02-04'),
    ('b0000000-0000-4000-8000-000000000005', '!!!', 0, 3, NULL, NULL, NULL);

INSERT INTO public.samples (id, product_id, title, file_url, file_type, created_at) VALUES
    (1, 'b0000000-0000-4000-8000-000000000001', 'S1', 'https://cdn.example.com/cours.pdf', NULL, '2023-03-01'),
    (2, 'b0000000-0000-4000-8000-000000000002', 'S2', 'https://cdn.example.com/x.pdf', 'PDF', '2023-03-02'),
    (3, NULL, 'S3', 'https://cdn.example.com/y.pdf', NULL, '2023-03-03'),
    (4, 'b0000000-0000-4000-8000-000000000003', 'S4', 'https://www.youtube.com/watch?v=x', NULL, '2023-03-04');
SELECT setval('public.samples_id_seq', 4) \g /dev/null

INSERT INTO public.tags (id, product_id, name) VALUES
    (1, 'b0000000-0000-4000-8000-000000000001', 'SEO'),
    (2, 'b0000000-0000-4000-8000-000000000001', ' seo '),          -- the same pair: merged
    (3, 'b0000000-0000-4000-8000-000000000003', 'Seo'),
    (4, 'b0000000-0000-4000-8000-000000000001', '🔥'),              -- empty_tag
    (5, 'b0000000-0000-4000-8000-000000000002', '🔥'),              -- orphan_pack first
    (6, 'b0000000-0000-4000-8000-000000000005', ' Référencement ');

INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (1, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2023-03-02'),
    (2, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2023-03-01'),
    (3, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', NULL),
    (4, 'a0000000-0000-4000-8000-000000000099', 'b0000000-0000-4000-8000-000000000099', '2023-03-04'),
    (5, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000099', '2023-03-05'),
    (6, 'a0000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000003', '2023-04-01'),
    (7, 'a0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', '2023-03-07');

INSERT INTO public.product_stats (product_id, views, downloads, favorites_count) VALUES
    ('b0000000-0000-4000-8000-000000000001', -3, NULL, 2),
    ('b0000000-0000-4000-8000-000000000002', 1, 1, 1),
    ('b0000000-0000-4000-8000-000000000003', 5, 4, NULL);

INSERT INTO public.trending_ideas (id, title, category, score, created_at) VALUES
    (1, 'Idée', 'marketing', 4.5, '2023-05-01'),
    (2, 'Idée', 'Marketing 2', NULL, '2023-05-02'),
    (3, '???', NULL, NULL, NULL);

INSERT INTO public.admin_logs (id, admin_id, action, target_type, target_id, details, ip_address, created_at) VALUES
    (1, 'a0000000-0000-4000-8000-000000000001', 'update', 'products', 'b0000000-0000-4000-8000-000000000001',
     '{"k": 1}', '1.2.3.4', '2023-06-01'),
    (2, NULL, 'note', NULL, NULL, '{"ip_address": "9.9.9.9"}', '1.1.1.1', '2023-06-02'),
    (3, NULL, 'export', NULL, NULL, '"texte"', NULL, '2023-06-03');

-- ---------------------------------------------------------------------------------------------
-- auth.users: 'mapped' and 'plan' before anything moved, then 'migrate' (pending) twice
-- ---------------------------------------------------------------------------------------------
SELECT is(pg_temp.short(pg_temp.reasons('auth.users')),
          'u01=ok u02=duplicate_email u03=deleted_user u04=duplicate_email u05=ok u09=orphan_user u06=ok',
          'mapped auth.users: one reason per row, in processing order (a deleted duplicate is a duplicate_email; NULL created_at last)');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s %s', r->>'_key', r->>'email', r->>'role', r->>'full_name', r->>'_warn'), '; ' ORDER BY r->>'_key'))
             FROM pg_temp.run('auth.users', 'mapped') r WHERE r->>'_reason' IS NULL),
          'u01 alice@example.com admin Alice false; u05 bob@example.com user Bob true; u06 dan@example.com user Dan false',
          '... its V2 columns: e-mail trimmed and lower-cased, role normalised (an unknown one warns), full_name from the metadata');
SELECT is((SELECT r FROM pg_temp.run('auth.users', 'plan') r),
          '{"pending": 7, "predicted_rejects": 4, "reject_reasons": {"orphan_user": 1, "deleted_user": 1, "duplicate_email": 2}}'::jsonb,
          'plan auth.users: pending rows, predicted rejects and their reasons');
SELECT is((SELECT r FROM pg_temp.run('products', 'plan') r),
          '{"pending": 5, "predicted_rejects": 2, "reject_reasons": {"negative_price": 2}}'::jsonb, 'plan products');
SELECT is((SELECT r FROM pg_temp.run('favorites', 'plan') r),
          '{"pending": 7, "predicted_rejects": 3, "reject_reasons": {"orphan_user": 2, "orphan_pack": 1}}'::jsonb,
          'plan favorites: parents that would be migrated count (predicted), a rejected user does not');
SELECT is((SELECT count(*) FROM dropskills_v2.users) + (SELECT count(*) FROM dropskills_v2.migration_rejects), 0::bigint,
          '... the dry run and the mapped rows wrote nothing');
SELECT is(pg_temp.migrate('auth.users'), '7 3 0 4 1', 'migrate auth.users: 7 read, 3 written, 4 rejected, 1 warning');
SELECT is(pg_temp.short(pg_temp.rejects('auth.users')), 'u02=duplicate_email u03=deleted_user u04=duplicate_email u09=orphan_user',
          '... the quarantine holds each rejected row with its reason');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s %s %s', id, email, role, full_name, legacy, migration_run_id), '; ' ORDER BY id))
             FROM dropskills_v2.users),
          'u01 alice@example.com admin Alice  7; u05 bob@example.com user Bob {"role": "boss"} 7; u06 dan@example.com user Dan  7',
          '... the V2 users, the unknown role kept in legacy, the run id in migration_run_id');
SELECT is((SELECT pg_temp.short(row_data::text) FROM dropskills_v2.migration_rejects WHERE source_key = 'a0000000-0000-4000-8000-000000000009'),
          '{"id": "u09", "profile": {"id": "u09", "role": "user", "full_name": "Ghost", "avatar_url": null, "created_at": "2023-01-06T00:00:00+00:00", "updated_at": null, "stripe_customer_id": null, "subscription_status": null}}',
          '... an orphan profile is quarantined with the profile as its row_data');
SELECT is(pg_temp.migrate('auth.users'), '0 0 0 0 0', 'a second migrate (pending) reads nothing: migrated and quarantined rows are left out');
SELECT is(pg_temp.reasons('auth.users'), NULL, '... nor does the mapped pending row set hold any');

-- ---------------------------------------------------------------------------------------------
-- categories, then products through 'stage' and 'migrate' with row set 'staged'
-- ---------------------------------------------------------------------------------------------
SELECT is(pg_temp.migrate('categories'), '3 3 0 0 0', 'migrate categories');
SELECT is((SELECT string_agg(id || ' ' || slug, ', ' ORDER BY id) FROM dropskills_v2.categories), '1 marketing, 2 marketing-2, 3 sante',
          '... slugs claimed in processing order');
SELECT pg_temp.stmt('products', 'stage') AS stage_sql \gset
CREATE TEMP TABLE dskv2_stage AS :stage_sql;
SELECT is((SELECT pg_temp.short(string_agg(format('%s:%s=%s%s', _seq, _key, COALESCE(_reason, 'ok'), CASE WHEN _warn THEN '!' ELSE '' END), ' ' ORDER BY _seq))
             FROM pg_temp.dskv2_stage),
          '1:p01=ok 2:p02=negative_price 3:p03=ok! 4:p04=negative_price! 5:p05=ok',
          'stage products: the pending rows numbered in processing order, with reasons and warnings (!)');
SELECT pg_temp.stmt('products', 'migrate', 'staged') AS staged_sql \gset
PREPARE staged_batch(bigint, bigint) AS :staged_sql;
EXECUTE staged_batch(0, 2) \gset b1_
EXECUTE staged_batch(2, 5) \gset b2_
EXECUTE staged_batch(0, 5) \gset b3_
SELECT is(format('%s %s %s %s %s', :'b1_rows_read', :'b1_rows_written', :'b1_rows_merged', :'b1_rows_rejected', :'b1_warnings'),
          '2 1 0 1 0', 'migrate products, staged batch _seq 1-2: 2 read, 1 written, 1 rejected');
SELECT is(format('%s %s %s %s %s', :'b2_rows_read', :'b2_rows_written', :'b2_rows_merged', :'b2_rows_rejected', :'b2_warnings'),
          '3 2 0 1 1', '... batch _seq 3-5: 1 warning, a rejected row''s warning not counted');
SELECT is(format('%s %s %s %s %s', :'b3_rows_read', :'b3_rows_written', :'b3_rows_merged', :'b3_rows_rejected', :'b3_warnings'),
          '0 0 0 0 0', '... the staged rows once written (or quarantined) are not read again');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s %s %s', id, slug, price, category_id, status, author_id), '; ' ORDER BY id))
             FROM dropskills_v2.packs),
          'p01 guide 10.00 1 published u01; p03 guide-2 5.00  draft ; p05 pack 0.00 3 draft ',
          '... the packs: slugs in processing order (an empty one is pack), an author not in V2 is NULL, status from is_published');
SELECT is(pg_temp.short(pg_temp.rejects('products')), 'p02=negative_price p04=negative_price', '... and the quarantine');

-- ---------------------------------------------------------------------------------------------
-- samples (row set 'keys'), tags, favorites, product_stats, trending_ideas, admin_logs
-- ---------------------------------------------------------------------------------------------
SELECT is(pg_temp.reasons('samples', 'keys', '{1,2}'), '1=ok 2=orphan_pack', 'mapped samples, row set keys: only the keys given');
SELECT is(pg_temp.migrate('samples', 'keys', '{1,2}'), '2 1 0 1 0', 'migrate samples, keys {1,2}: a sample of a rejected pack is an orphan_pack');
SELECT is(pg_temp.migrate('samples', 'keys', '{1,2}'), '0 0 0 0 0', '... the same keys again: nothing (done or quarantined)');
SELECT is(pg_temp.migrate('samples'), '2 1 0 1 0', '... then the pending rest');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s', id, pack_id, type), '; ' ORDER BY id)) FROM dropskills_v2.samples),
          '1 p01 pdf; 4 p03 video', '... the samples with their type');
SELECT is(pg_temp.rejects('samples'), '2=orphan_pack 3=orphan_pack', '... a sample without a product is an orphan_pack too');

SELECT is(pg_temp.reasons('tags'), '1=ok 2=ok 3=ok 4=empty_tag 5=orphan_pack 6=ok',
          'mapped tags: a tag of a rejected pack is an orphan_pack before being an empty_tag');
SELECT is(pg_temp.migrate('tags'), '6 3 1 2 0', 'migrate tags: 3 pairs written, 1 merged, 2 rejected');
SELECT is((SELECT string_agg(name || ' ' || slug, ', ' ORDER BY id) FROM dropskills_v2.tags), 'SEO seo, Référencement referencement',
          '... one tag per slug, named by the first row''s trimmed name, numbered in processing order');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s', pt.pack_id, t.slug, pt.legacy_id, pt.migration_run_id), '; ' ORDER BY pt.pack_id, t.slug))
             FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags t ON t.id = pt.tag_id),
          'p01 seo 1 7; p03 seo 3 7; p05 referencement 6 7', '... the pairs, each from the first of its legacy rows');
SELECT is((SELECT string_agg(format('%s %s %s', source_key, target_key, run_id), '; ' ORDER BY source_key)
             FROM dropskills_v2.migration_merges WHERE source_table = 'tags'),
          format('2 ["%s", "%s"] 7', 'b0000000-0000-4000-8000-000000000001', (SELECT id FROM dropskills_v2.tags WHERE slug = 'seo')),
          '... the duplicate pair recorded in migration_merges');
SELECT is(pg_temp.rejects('tags'), '4=empty_tag 5=orphan_pack', '... and the quarantine');

SELECT is(pg_temp.reasons('favorites'), '2=ok 1=ok 4=orphan_user 5=orphan_pack 7=orphan_user 6=ok 3=ok',
          'mapped favorites: orphan_user before orphan_pack; a rejected user is missing');
SELECT is(pg_temp.migrate('favorites'), '7 2 2 3 0', 'migrate favorites: 2 written, 2 merged, 3 rejected');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s', user_id, pack_id, to_char(created_at, 'YYYY-MM-DD'), legacy_id), '; ' ORDER BY user_id, pack_id))
             FROM dropskills_v2.favorites),
          'u01 p01 2023-03-01 2; u05 p03 2023-04-01 6', '... duplicates merge into the earliest (created_at and legacy row)');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s', source_key, target_key), '; ' ORDER BY source_key))
             FROM dropskills_v2.migration_merges WHERE source_table = 'favorites'),
          '1 ["u01", "p01"]; 3 ["u01", "p01"]', '... the later ones recorded in migration_merges');
SELECT is(pg_temp.rejects('favorites'), '4=orphan_user 5=orphan_pack 7=orphan_user', '... and the quarantine');
-- A later run brings an earlier duplicate: the V2 row's created_at moves back.
INSERT INTO public.favorites (id, user_id, product_id, created_at)
VALUES (8, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2023-02-15');
SELECT is(pg_temp.migrate('favorites'), '1 0 1 0 0', 'migrate favorites again: the new duplicate merges');
SELECT is((SELECT to_char(created_at, 'YYYY-MM-DD') || ' ' || legacy_id FROM dropskills_v2.favorites
            WHERE user_id = 'a0000000-0000-4000-8000-000000000001' AND pack_id = 'b0000000-0000-4000-8000-000000000001'),
          '2023-02-15 2', '... and, being earlier, moves the V2 row''s created_at back');

SELECT is(pg_temp.migrate('product_stats'), '3 2 0 1 1', 'migrate product_stats: a negative counter warns');
SELECT is((SELECT pg_temp.short(string_agg(format('%s %s %s %s', pack_id, views, downloads, favorites_count), '; ' ORDER BY pack_id))
             FROM dropskills_v2.pack_stats),
          'p01 0 0 2; p03 5 4 0', '... NULL and negative counters are 0');
SELECT is(pg_temp.short(pg_temp.rejects('product_stats')), 'p02=orphan_pack', '... stats of a rejected pack are quarantined');
SELECT is(pg_temp.migrate('trending_ideas'), '3 3 0 0 0', 'migrate trending_ideas');
SELECT is((SELECT string_agg(format('%s %s %s %s', id, slug, category_id, category_label), '; ' ORDER BY id) FROM dropskills_v2.trending_ideas),
          '1 idee 1 marketing; 2 idee-2 2 Marketing 2; 3 idea  ', '... slugs, and the category whose slug is the slugified label');
SELECT is(pg_temp.migrate('admin_logs'), '3 3 0 0 0', 'migrate admin_logs');
SELECT is((SELECT string_agg(format('%s %s %s %s', id, details, legacy, source), '; ' ORDER BY id) FROM dropskills_v2.admin_logs),
          '1 {"k": 1, "ip_address": "1.2.3.4"}  legacy; 2 {"ip_address": "9.9.9.9"} {"ip_address": "1.1.1.1"} legacy; 3 {"legacy_details": "texte"}  legacy',
          '... details with ip_address added, a differing one kept in legacy, a non-object under legacy_details');

-- ---------------------------------------------------------------------------------------------
-- Retry: 'migrate' with row set 'quarantined'
-- ---------------------------------------------------------------------------------------------
UPDATE public.products SET price = 3 WHERE id = 'b0000000-0000-4000-8000-000000000002';
SELECT is(pg_temp.short(pg_temp.reasons('products', 'quarantined')), 'p02=ok p04=negative_price',
          'mapped products, row set quarantined: the quarantined rows only, as they map now');
SELECT is(pg_temp.migrate('products', 'quarantined'), '2 1 0 1 0 released 1', 'retry products: the fixed one moves and leaves the quarantine');
SELECT is(pg_temp.short(pg_temp.rejects('products')), 'p04=negative_price', '... the other stays');
SELECT is((SELECT slug FROM dropskills_v2.packs WHERE id = 'b0000000-0000-4000-8000-000000000002'), 'guide-3', '... its slug claimed now');
SELECT is(pg_temp.migrate('samples', 'quarantined'), '2 1 0 1 0 released 1', 'retry samples: the sample of that pack follows');
SELECT is(pg_temp.migrate('tags', 'quarantined'), '2 0 0 2 0 released 0', 'retry tags: both stay');
SELECT is(pg_temp.rejects('tags'), '4=empty_tag 5=empty_tag', '... with their current reason');
SELECT is(pg_temp.migrate('product_stats', 'quarantined'), '1 1 0 0 0 released 1', 'retry product_stats');

-- ---------------------------------------------------------------------------------------------
-- The verification statement
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM pg_temp.run('auth.users', 'verify')), 46::bigint, 'verify: 46 checks (9 + 9 + 15 + 8 + 1 + 4)');
SELECT is((SELECT string_agg(r->>'check_name' || ' ' || (r->>'table_name') || ': ' || (r->>'detail'), '; ')
             FROM pg_temp.run('auth.users', 'verify') r WHERE NOT (r->>'ok')::boolean), NULL,
          '... all true once every table moved');
SELECT is((SELECT string_agg(r->>'table_name' || ' ' || (r->>'detail'), '; ' ORDER BY r->>'table_name')
             FROM pg_temp.run('auth.users', 'verify') r WHERE r->>'check_name' = 'conservation' AND r->>'table_name' IN ('favorites', 'tags')),
          'favorites 8 legacy rows = 2 in V2 + 3 merged + 3 quarantined; tags 6 legacy rows = 3 in V2 + 1 merged + 2 quarantined',
          '... conservation counts V2 rows, merges and the quarantine');
UPDATE public.categories SET icon = '🩺' WHERE id = 3;
SELECT is((SELECT string_agg(r->>'check_name' || ' ' || (r->>'table_name') || ': ' || (r->>'detail'), '; ')
             FROM pg_temp.run('auth.users', 'verify') r WHERE NOT (r->>'ok')::boolean),
          'content_checksum categories: 1 keys differ (legacy as mapped vs V2), first: 3', '... a legacy change is found, by key');
UPDATE public.categories SET icon = NULL WHERE id = 3;

-- ---------------------------------------------------------------------------------------------
-- Live sync of a one-row mapping: the fast paths, then the complete statement
-- ---------------------------------------------------------------------------------------------
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('categories', 'sync_unchanged', 'sync', '{1}') r), '{"unchanged": true}',
          'sync_unchanged: a key in V2 exactly as it maps is unchanged');
UPDATE public.categories SET description = 'changée' WHERE id = 3;
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('categories', 'sync_unchanged', 'sync', '{3}') r), '{"unchanged": false}',
          '... a legacy row changed since is not');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('categories', 'sync_update', 'sync', '{3}') r), '{"quarantined": false}',
          'sync_update: the changed row is updated in place (one row returned)');
SELECT is((SELECT id || ' ' || slug || ' ' || description FROM dropskills_v2.categories WHERE id = 3), '3 sante changée', '... its slug kept');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('categories', 'sync_unchanged', 'sync', '{3}') r), '{"unchanged": true}',
          '... and it is unchanged now');
SELECT is((SELECT count(*) FROM pg_temp.run('categories', 'sync_update', 'sync', '{3}')), 0::bigint, '... a second sync_update writes nothing');
INSERT INTO public.categories (id, name, created_at) VALUES (4, 'Marketing', '2023-07-01');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('categories', 'sync_insert', 'sync', '{4}') r), '{"quarantined": false}',
          'sync_insert: a new legacy row is inserted');
SELECT is((SELECT id || ' ' || slug || ' ' || migration_run_id FROM dropskills_v2.categories WHERE id = 4), '4 marketing-3 7',
          '... with a new slug and the sync run');
SELECT is((SELECT count(*) FROM pg_temp.run('categories', 'sync_insert', 'sync', '{4}')), 0::bigint, '... once');
DELETE FROM public.categories WHERE id = 4;
SELECT is((SELECT r FROM pg_temp.run('categories', 'sync', 'sync', '{4}', true) r),
          '{"rows_read": 0, "rows_written": 0, "rows_updated": 0, "rows_deleted": 1, "rows_rejected": 0}'::jsonb,
          'sync (complete statement): a key without legacy row leaves V2');
SELECT is((SELECT count(*) FROM dropskills_v2.categories WHERE id = 4), 0::bigint, '... gone');
-- A change the mapping rejects: quarantined, the last good V2 row kept; fixed: released.
UPDATE public.products SET price = -1 WHERE id = 'b0000000-0000-4000-8000-000000000001';
SELECT is((SELECT count(*) FROM pg_temp.run('products', 'sync_update', 'sync', '{b0000000-0000-4000-8000-000000000001}')), 0::bigint,
          'sync_update leaves a rejected change to the complete statement');
SELECT is((SELECT r FROM pg_temp.run('products', 'sync', 'sync', '{b0000000-0000-4000-8000-000000000001}', false) r),
          '{"rows_read": 1, "rows_written": 0, "rows_updated": 0, "rows_deleted": 0, "rows_rejected": 1}'::jsonb,
          'sync: a rejected change is counted as rejected');
SELECT is((SELECT price FROM dropskills_v2.packs WHERE id = 'b0000000-0000-4000-8000-000000000001'), 10.00::numeric(10,2),
          '... the V2 row keeps its last good version');
SELECT is(pg_temp.short(pg_temp.rejects('products')), 'p01=negative_price p04=negative_price', '... and the change is quarantined');
UPDATE public.products SET price = 12 WHERE id = 'b0000000-0000-4000-8000-000000000001';
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('products', 'sync_update', 'sync', '{b0000000-0000-4000-8000-000000000001}') r),
          '{"quarantined": true}', 'fixed: sync_update writes it and says the key still has a quarantine record');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('products', 'sync_unchanged', 'sync', '{b0000000-0000-4000-8000-000000000001}') r),
          '{"unchanged": false}', '... so it is not unchanged while quarantined');
SELECT is((SELECT r FROM pg_temp.run('products', 'sync', 'sync', '{b0000000-0000-4000-8000-000000000001}', false) r),
          '{"rows_read": 1, "rows_written": 0, "rows_updated": 0, "rows_deleted": 0, "rows_rejected": 0}'::jsonb,
          '... the complete statement then has nothing to write');
SELECT is(pg_temp.short(pg_temp.rejects('products')), 'p04=negative_price', '... and releases the quarantine record');
SELECT is((SELECT price || ' ' || slug FROM dropskills_v2.packs WHERE id = 'b0000000-0000-4000-8000-000000000001'), '12.00 guide',
          '... the V2 row at its new price, slug kept');

-- ---------------------------------------------------------------------------------------------
-- Live sync of merging mappings: fast paths, unlink and the rewrite of a group
-- ---------------------------------------------------------------------------------------------
DELETE FROM public.favorites WHERE id = 6;
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('favorites', 'sync_delete', 'sync', '{6}') r), '{"quarantined": false}',
          'sync_delete: a deleted legacy favorite that alone made its V2 row takes it along');
SELECT is((SELECT count(*) FROM dropskills_v2.favorites WHERE user_id = 'a0000000-0000-4000-8000-000000000005'), 0::bigint, '... gone');
SELECT is((SELECT count(*) FROM pg_temp.run('favorites', 'sync_delete', 'sync', '{2}')), 0::bigint,
          '... not the V2 row of a group with merged rows');
SELECT is((SELECT count(*) FROM dropskills_v2.favorites WHERE legacy_id = 2), 1::bigint, '... which stays');
INSERT INTO public.favorites (id, user_id, product_id, created_at) VALUES
    (9, 'a0000000-0000-4000-8000-000000000005', 'b0000000-0000-4000-8000-000000000001', '2023-05-01'),
    (10, 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', '2023-01-01');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('favorites', 'sync_insert', 'sync', '{9}') r), '{"quarantined": false}',
          'sync_insert: a favorite of a new pair is inserted');
SELECT is((SELECT count(*) FROM pg_temp.run('favorites', 'sync_insert', 'sync', '{10}')), 0::bigint,
          '... one of an existing pair is left to the complete statement');
SELECT is(pg_temp.migrate('favorites', 'keys', '{10}'), '1 0 1 0 0', 'migrate favorites, keys {10}: it merges');
SELECT is((SELECT to_char(created_at, 'YYYY-MM-DD') || ' ' || legacy_id FROM dropskills_v2.favorites
            WHERE user_id = 'a0000000-0000-4000-8000-000000000001' AND pack_id = 'b0000000-0000-4000-8000-000000000001'),
          '2023-01-01 2', '... and, being the earliest, moves the created_at back');
-- The group's first row deleted: the group is taken apart, then written again from legacy.
DELETE FROM public.favorites WHERE id = 2;
SELECT is((SELECT r FROM pg_temp.run('favorites', 'sync', 'sync', '{2}', true) r),
          '{"keys": ["1", "10", "2", "3", "8"], "rows_unlinked": 1, "merges_released": 4, "rows_rejected": 0, "rows_released": 0}'::jsonb,
          'sync (unlink) favorites: every member of the group is returned, its V2 row and merge records released');
SELECT is((SELECT count(*) FROM dropskills_v2.favorites WHERE user_id = 'a0000000-0000-4000-8000-000000000001'), 0::bigint, '... the V2 row is gone');
SELECT is(pg_temp.migrate('favorites', 'keys', '{1,10,2,3,8}'), '4 1 3 0 0', 'migrate favorites, those keys: the group written again');
SELECT is((SELECT to_char(created_at, 'YYYY-MM-DD') || ' ' || legacy_id FROM dropskills_v2.favorites
            WHERE user_id = 'a0000000-0000-4000-8000-000000000001' AND pack_id = 'b0000000-0000-4000-8000-000000000001'),
          '2023-01-01 10', '... from its earliest row');
SELECT is((SELECT string_agg(source_key, ' ' ORDER BY source_key) FROM dropskills_v2.migration_merges WHERE source_table = 'favorites'),
          '1 3 8', '... the others merged into it');
INSERT INTO public.tags (id, product_id, name) VALUES
    (7, 'b0000000-0000-4000-8000-000000000003', 'Nouveau'),
    (8, 'b0000000-0000-4000-8000-000000000005', 'seo'),
    (9, 'b0000000-0000-4000-8000-000000000003', 'SEO ');
SELECT is((SELECT count(*) FROM pg_temp.run('tags', 'sync_insert', 'sync', '{7}')), 0::bigint,
          'sync_insert tags: a row whose tag does not exist yet is left to the complete statement');
SELECT is((SELECT string_agg(r::text, ' ') FROM pg_temp.run('tags', 'sync_insert', 'sync', '{8}') r), '{"quarantined": false}',
          '... a new pair of an existing tag is inserted');
SELECT is((SELECT count(*) FROM pg_temp.run('tags', 'sync_insert', 'sync', '{9}')), 0::bigint, '... an existing pair is not');
SELECT is((SELECT pg_temp.short(string_agg(pt.pack_id || ' ' || pt.legacy_id, '; ' ORDER BY pt.pack_id))
             FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags t ON t.id = pt.tag_id WHERE t.slug = 'seo'),
          'p01 1; p03 3; p05 8', '... the pairs of seo');

-- ---------------------------------------------------------------------------------------------
-- Reconcile: the keys live sync must catch up on
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.reconcile(tbl text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.short(string_agg(r->>'k', ' ' ORDER BY r->>'k')) FROM pg_temp.run(tbl, 'reconcile') r $$;
SELECT is((SELECT string_agg(t || '=' || pg_temp.reconcile(t), ' ') FROM unnest(ARRAY['auth.users', 'categories', 'products', 'samples',
              'tags', 'favorites', 'product_stats', 'trending_ideas', 'admin_logs']) t), NULL,
          'reconcile: nothing to catch up on when V2 follows legacy (pending rows are the migration''s)');
UPDATE public.categories SET icon = '🩺' WHERE id = 2;
SELECT is(pg_temp.reconcile('categories'), '2', 'reconcile categories: a migrated row changed in legacy');
ALTER TABLE public.categories ADD COLUMN color text;
UPDATE public.categories SET color = 'rouge' WHERE id = 1;
SELECT is(pg_temp.reconcile('categories'), '1 2', '... also when only its legacy jsonb (the last column) differs');
UPDATE public.products SET price = -2 WHERE id = 'b0000000-0000-4000-8000-000000000003';
DELETE FROM public.products WHERE id = 'b0000000-0000-4000-8000-000000000004';
SELECT is(pg_temp.reconcile('products'), 'p03 p04',
          'reconcile products: a migrated row the mapping now rejects, and a quarantine record whose legacy row is gone');
DELETE FROM public.admin_logs WHERE id = 3;
SELECT is(pg_temp.reconcile('admin_logs'), '3', 'reconcile admin_logs: a migrated row deleted in legacy');
UPDATE public.favorites SET created_at = '2020-01-01' WHERE id = 3;
SELECT is(pg_temp.reconcile('favorites'), '1 10 3 8', 'reconcile favorites: every member of a group whose earliest row changed');
UPDATE public.tags SET name = 'S E O' WHERE id = 8;
SELECT is(pg_temp.reconcile('tags'), '8', 'reconcile tags: a pair whose tag changed');
DELETE FROM public.favorites WHERE id = 5;
SELECT is(pg_temp.reconcile('favorites'), '1 10 3 5 8', '... and a quarantine record of a deleted favorite');
SELECT is((SELECT string_agg(t || '=' || pg_temp.reconcile(t), ' ') FROM unnest(ARRAY['auth.users', 'samples', 'product_stats',
              'trending_ideas']) t), NULL, '... and nothing in the tables left alone');

SELECT * FROM finish();
ROLLBACK;
