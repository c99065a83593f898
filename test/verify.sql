-- pgTAP: dskv2_verify_integrity is all true after a clean migration, and every
-- kind of tampering turns the relevant check false and names the key.
\ir legacy_setup.psql
SELECT plan(173);
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

CREATE FUNCTION pg_temp.failing() RETURNS TABLE (check_name text, table_name text, detail text) LANGUAGE sql AS $$
    SELECT v.check_name, v.table_name, v.detail FROM dskv2_verify_integrity() v WHERE NOT v.ok $$;

SELECT is((SELECT count(*) FROM dskv2_verify_integrity()), 46::bigint, 'every check is reported (9 + 9 + 15 + 8 + 1 + 4)');
SELECT is((SELECT count(*) FROM pg_temp.failing()), 0::bigint, 'every check is true after a clean migration');
SELECT set_eq($$SELECT DISTINCT check_name FROM dskv2_verify_integrity()$$,
              ARRAY['conservation', 'content_checksum', 'fk_orphans', 'slug_unique', 'slug_format', 'email_unique', 'sequence'],
              'the check names of docs/verification.md');
CREATE TEMP TABLE clean AS SELECT v.table_name, v.actual FROM dskv2_verify_integrity() v WHERE v.check_name = 'conservation';

-- Tampering one compared column of one V2 row that came from legacy: the
-- failing checks and the content_checksum detail of that table, then undone.
CREATE FUNCTION pg_temp.tamper(tbl text, col text, val text)
RETURNS TABLE (failing text, detail text, key text) LANGUAGE plpgsql AS $$
DECLARE
    keycol text := CASE tbl WHEN 'pack_stats' THEN 'pack_id' ELSE 'id' END;
    pred text;
BEGIN
    IF tbl = 'favorites' THEN
        SELECT jsonb_build_array(f.user_id::text, f.pack_id::text)::text, format('t.legacy_id = %s', f.legacy_id)
          INTO key, pred FROM dropskills_v2.favorites f WHERE f.legacy_id IS NOT NULL ORDER BY f.user_id, f.pack_id LIMIT 1;
    ELSIF tbl = 'pack_tags' THEN
        SELECT jsonb_build_array(pt.pack_id::text, g.slug::text)::text, format('t.legacy_id = %s', pt.legacy_id)
          INTO key, pred FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags g ON g.id = pt.tag_id
         WHERE pt.legacy_id IS NOT NULL ORDER BY pt.pack_id, g.slug LIMIT 1;
    ELSE
        EXECUTE format('SELECT t.%1$I::text FROM dropskills_v2.%2$I t WHERE t.migration_run_id IS NOT NULL ORDER BY t.%1$I LIMIT 1',
                       keycol, tbl) INTO key;
        pred := format('t.%I::text = %L', keycol, key);
    END IF;
    BEGIN
        -- admin_logs is append-only: a DBA repairing it disables the guard explicitly.
        IF tbl = 'admin_logs' THEN ALTER TABLE dropskills_v2.admin_logs DISABLE TRIGGER dskv2_append_only; END IF;
        IF tbl = 'packs' AND col = 'file_url' THEN
            -- A pack's file URL lives in pack_files, compared with its pack.
            EXECUTE format('UPDATE dropskills_v2.pack_files t SET file_url = %s WHERE t.pack_id::text = %L', val, key);
        ELSE
            EXECUTE format('UPDATE dropskills_v2.%I t SET %I = %s WHERE %s', tbl, col, val, pred);
        END IF;
        SELECT string_agg(f.check_name || ' ' || f.table_name, ', ' ORDER BY f.check_name, f.table_name),
               max(f.detail) FILTER (WHERE f.check_name = 'content_checksum' AND f.table_name = tbl)
          INTO failing, detail FROM pg_temp.failing() f;
        RAISE EXCEPTION 'undo' USING ERRCODE = 'DSKV0';
    EXCEPTION WHEN SQLSTATE 'DSKV0' THEN
        NULL;
    END;
    RETURN NEXT;
END
$$;

-- A V2 row altered.
SAVEPOINT t;
UPDATE dropskills_v2.packs SET title = 'Tampered' WHERE id = (SELECT id FROM dropskills_v2.packs ORDER BY id LIMIT 1);
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$, $$VALUES ('content_checksum', 'packs')$$,
              'an altered V2 pack fails content_checksum on packs only');
SELECT ok((SELECT detail FROM pg_temp.failing()) LIKE '1 keys differ%' || (SELECT id::text FROM dropskills_v2.packs ORDER BY id LIMIT 1) || '%',
          '... and the detail names its key');
SELECT is((SELECT count(*) FROM dropskills_v2.verify_diffs WHERE key = (SELECT id::text FROM dropskills_v2.packs ORDER BY id LIMIT 1)), 2::bigint,
          '... which is kept in verify_diffs (once per verification)');
ROLLBACK TO SAVEPOINT t;

-- A V2 row deleted.
SAVEPOINT t;
DELETE FROM dropskills_v2.samples WHERE id = 7;
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$,
              $$VALUES ('conservation', 'samples'), ('content_checksum', 'samples')$$,
              'a deleted V2 sample fails conservation and content_checksum on samples');
SELECT ok((SELECT detail FROM pg_temp.failing() WHERE check_name = 'content_checksum') LIKE '%first: 7%',
          '... naming the key 7');
ROLLBACK TO SAVEPOINT t;

-- A legacy row added since.
SAVEPOINT t;
INSERT INTO public.products (id, title, price, created_at)
VALUES ('00000000-0000-0000-0000-00000000beef', 'Arrivé après', 10, '2025-01-01');
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$,
              $$VALUES ('conservation', 'products'), ('content_checksum', 'packs')$$,
              'a legacy product added since fails conservation and content_checksum');
SELECT ok((SELECT detail FROM pg_temp.failing() WHERE check_name = 'content_checksum') LIKE '%00000000-0000-0000-0000-00000000beef%',
          '... naming the new key');
ROLLBACK TO SAVEPOINT t;

-- A legacy row changed since.
SAVEPOINT t;
UPDATE public.categories SET description = 'changé' WHERE id = 3;
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$, $$VALUES ('content_checksum', 'categories')$$,
              'a legacy category changed since fails content_checksum on categories');
SELECT ok((SELECT detail FROM pg_temp.failing()) LIKE '%first: 3', '... naming the key 3');
ROLLBACK TO SAVEPOINT t;

-- A merged row: a legacy favorite changed since.
SAVEPOINT t;
UPDATE public.favorites SET created_at = '2020-01-01' WHERE id = (SELECT legacy_id FROM dropskills_v2.favorites ORDER BY legacy_id LIMIT 1);
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$, $$VALUES ('content_checksum', 'favorites')$$,
              'a legacy favorite changed since fails content_checksum on favorites');
ROLLBACK TO SAVEPOINT t;

-- Rows the application created in V2 are ignored.
SAVEPOINT t;
INSERT INTO dropskills_v2.packs (slug, title, price) VALUES ('created-in-v2', 'Créé dans V2', 5);
INSERT INTO dropskills_v2.categories (name, slug) VALUES ('Nouvelle', 'nouvelle');
SELECT is((SELECT count(*) FROM pg_temp.failing()), 0::bigint, 'rows the application created in V2 are ignored');
ROLLBACK TO SAVEPOINT t;

-- ... in every table conservation and content_checksum look at: users, samples,
-- pack_tags and favorites (legacy_id NULL), pack_stats, trending_ideas,
-- admin_logs, all written by the application (migration_run_id NULL).
SAVEPOINT t;
-- A V2 user of the application with no legacy auth user (a self-managed V2
-- without Supabase has no key to auth.users).
ALTER TABLE dropskills_v2.users DROP CONSTRAINT users_id_auth_fkey;
INSERT INTO dropskills_v2.users (id, email, full_name, role)
VALUES ('00000000-0000-4000-8000-0000000a0001', 'nouvelle.cliente@v2.example', 'Cliente V2', 'premium');
INSERT INTO dropskills_v2.packs (id, slug, title, price)
VALUES ('00000000-0000-4000-8000-0000000a0002', 'created-in-v2', 'Créé dans V2', 5);
INSERT INTO dropskills_v2.categories (name, slug) VALUES ('Nouvelle', 'nouvelle');
INSERT INTO dropskills_v2.samples (pack_id, title, url, type)
VALUES ('00000000-0000-4000-8000-0000000a0002', 'Extrait V2', 'https://cdn.example.com/v2.pdf', 'pdf');
INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id)
SELECT '00000000-0000-4000-8000-0000000a0002', t.id FROM dropskills_v2.tags t ORDER BY t.id LIMIT 2;
INSERT INTO dropskills_v2.favorites (user_id, pack_id, created_at)
VALUES ('00000000-0000-4000-8000-0000000a0001', '00000000-0000-4000-8000-0000000a0002', '2025-02-01'),
       ((SELECT id FROM dropskills_v2.users WHERE migration_run_id IS NOT NULL ORDER BY id LIMIT 1),
        '00000000-0000-4000-8000-0000000a0002', '2025-02-02'),
       ('00000000-0000-4000-8000-0000000a0001',
        (SELECT id FROM dropskills_v2.packs WHERE migration_run_id IS NOT NULL ORDER BY id LIMIT 1), '2025-02-03');
INSERT INTO dropskills_v2.pack_stats (pack_id, views, downloads) VALUES ('00000000-0000-4000-8000-0000000a0002', 3, 1);
INSERT INTO dropskills_v2.trending_ideas (title, slug, score) VALUES ('Idée née dans V2', 'idee-nee-dans-v2', 9);
INSERT INTO dropskills_v2.admin_logs (action, table_name, record_id, source)
VALUES ('LOGIN', 'users', '00000000-0000-4000-8000-0000000a0001', 'trigger');
SELECT is((SELECT string_agg(x.tbl, ', ' ORDER BY x.tbl) FROM (VALUES
              ('users', (SELECT count(*) FROM dropskills_v2.users WHERE migration_run_id IS NULL)),
              ('samples', (SELECT count(*) FROM dropskills_v2.samples WHERE migration_run_id IS NULL)),
              ('pack_tags', (SELECT count(*) FROM dropskills_v2.pack_tags WHERE legacy_id IS NULL AND migration_run_id IS NULL)),
              ('favorites', (SELECT count(*) FROM dropskills_v2.favorites WHERE legacy_id IS NULL AND migration_run_id IS NULL)),
              ('pack_stats', (SELECT count(*) FROM dropskills_v2.pack_stats WHERE migration_run_id IS NULL)),
              ('trending_ideas', (SELECT count(*) FROM dropskills_v2.trending_ideas WHERE migration_run_id IS NULL)),
              ('admin_logs', (SELECT count(*) FROM dropskills_v2.admin_logs WHERE migration_run_id IS NULL))) x(tbl, n)
           WHERE x.n = 0), NULL,
          'the application wrote rows of its own in users, samples, pack_tags, favorites, pack_stats, trending_ideas, admin_logs');
SELECT is((SELECT string_agg(v.check_name || ' ' || v.table_name || ': ' || v.detail, '; ' ORDER BY v.check_name, v.table_name)
             FROM dskv2_verify_integrity() v WHERE v.check_name IN ('conservation', 'content_checksum') AND NOT v.ok), NULL,
          'rows the application created in every V2 table leave every conservation and content_checksum check ok');
SELECT is((SELECT count(*) FROM dskv2_verify_integrity() v WHERE v.check_name IN ('conservation', 'content_checksum') AND v.ok),
          18::bigint, '... all 9 conservation and 9 content_checksum checks');
SELECT is((SELECT string_agg(v.table_name || '=' || v.actual, ',' ORDER BY v.table_name) FROM dskv2_verify_integrity() v
            WHERE v.check_name = 'conservation'),
          (SELECT string_agg(v.table_name || '=' || v.actual, ',' ORDER BY v.table_name) FROM pg_temp.clean v),
          '... and no conservation count moved (V2 rows from legacy + merged + quarantined)');
ROLLBACK TO SAVEPOINT t;

-- Every column content_checksum compares, the first and the last (legacy)
-- included, of every V2 table it compares: one tampered V2 row turns that
-- table's content_checksum false, and only it, and names the row's key.
CREATE TEMP TABLE tamper_cases (n serial, tbl text, col text, val text);
INSERT INTO tamper_cases (tbl, col, val) VALUES
    ('users', 'email', '''tampered.'' || t.id || ''@example.com'''),
    ('users', 'full_name', 'COALESCE(t.full_name, '''') || '' tampered'''),
    ('users', 'avatar_url', 'COALESCE(t.avatar_url, '''') || '' tampered'''),
    ('users', 'role', 'CASE WHEN t.role = ''admin'' THEN ''user'' ELSE ''admin'' END'),
    ('users', 'subscription_status', 'COALESCE(t.subscription_status, '''') || '' tampered'''),
    ('users', 'stripe_customer_id', 'COALESCE(t.stripe_customer_id, '''') || '' tampered'''),
    ('users', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('users', 'updated_at', 'COALESCE(t.updated_at + interval ''1 day'', ''2001-01-01'')'),
    ('users', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('categories', 'name', 't.name || '' tampered'''),
    ('categories', 'description', 'COALESCE(t.description, '''') || '' tampered'''),
    ('categories', 'icon', 'COALESCE(t.icon, '''') || '' tampered'''),
    ('categories', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('categories', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('packs', 'title', 't.title || '' tampered'''),
    ('packs', 'description', 'COALESCE(t.description, '''') || '' tampered'''),
    ('packs', 'price', 'COALESCE(t.price, 0) + 1'),
    ('packs', 'category_id', '(SELECT c.id FROM dropskills_v2.categories c WHERE c.id IS DISTINCT FROM t.category_id ORDER BY c.id LIMIT 1)'),
    ('packs', 'cover_url', 'COALESCE(t.cover_url, '''') || '' tampered'''),
    ('packs', 'file_url', 'COALESCE(t.file_url, '''') || '' tampered'''),
    ('packs', 'format', 'COALESCE(t.format, '''') || '' tampered'''),
    ('packs', 'language', 'COALESCE(t.language, '''') || '' tampered'''),
    ('packs', 'is_premium', 'NOT t.is_premium'),
    ('packs', 'status', 'CASE WHEN t.status = ''archived'' THEN ''draft'' ELSE ''archived'' END'),
    ('packs', 'author_id', '(SELECT u.id FROM dropskills_v2.users u WHERE u.id IS DISTINCT FROM t.author_id ORDER BY u.id LIMIT 1)'),
    ('packs', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('packs', 'updated_at', 'COALESCE(t.updated_at + interval ''1 day'', ''2001-01-01'')'),
    ('packs', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('samples', 'pack_id', '(SELECT p.id FROM dropskills_v2.packs p WHERE p.id <> t.pack_id ORDER BY p.id LIMIT 1)'),
    ('samples', 'title', 'COALESCE(t.title, '''') || '' tampered'''),
    ('samples', 'url', 'COALESCE(t.url, '''') || '' tampered'''),
    ('samples', 'type', 'CASE WHEN t.type = ''archive'' THEN ''ebook'' ELSE ''archive'' END'),
    ('samples', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('samples', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('pack_tags', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('favorites', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('favorites', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('pack_stats', 'views', 't.views + 1'),
    ('pack_stats', 'downloads', 't.downloads + 1'),
    ('pack_stats', 'favorites_count', 't.favorites_count + 1'),
    ('pack_stats', 'last_viewed_at', 'COALESCE(t.last_viewed_at + interval ''1 day'', ''2001-01-01'')'),
    ('pack_stats', 'updated_at', 'COALESCE(t.updated_at + interval ''1 day'', ''2001-01-01'')'),
    ('pack_stats', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('trending_ideas', 'title', 't.title || '' tampered'''),
    ('trending_ideas', 'description', 'COALESCE(t.description, '''') || '' tampered'''),
    ('trending_ideas', 'category_id', '(SELECT c.id FROM dropskills_v2.categories c WHERE c.id IS DISTINCT FROM t.category_id ORDER BY c.id LIMIT 1)'),
    ('trending_ideas', 'category_label', 'COALESCE(t.category_label, '''') || '' tampered'''),
    ('trending_ideas', 'score', 'COALESCE(t.score, 0) + 1'),
    ('trending_ideas', 'source', 'COALESCE(t.source, '''') || '' tampered'''),
    ('trending_ideas', 'data', 'COALESCE(t.data, ''{}'') || ''{"tampered": true}'''),
    ('trending_ideas', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('trending_ideas', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}'''),
    ('admin_logs', 'actor_id', '''00000000-0000-4000-8000-00000000dead''::uuid'),
    ('admin_logs', 'action', 't.action || '' tampered'''),
    ('admin_logs', 'table_name', 'COALESCE(t.table_name, '''') || '' tampered'''),
    ('admin_logs', 'record_id', 'COALESCE(t.record_id, '''') || '' tampered'''),
    ('admin_logs', 'details', 'COALESCE(t.details, ''{}'') || ''{"tampered": true}'''),
    ('admin_logs', 'source', 't.source || '' tampered'''),
    ('admin_logs', 'created_at', 'COALESCE(t.created_at + interval ''1 day'', ''2001-01-01'')'),
    ('admin_logs', 'legacy', 'COALESCE(t.legacy, ''{}'') || ''{"tampered": true}''');
CREATE TEMP TABLE tampered AS
SELECT c.n, c.tbl, c.col, r.failing, r.detail, r.key FROM tamper_cases c, LATERAL pg_temp.tamper(c.tbl, c.col, c.val) r;
SELECT is(t.failing, 'content_checksum ' || t.tbl, format('a tampered %s.%s fails content_checksum on %s only', t.tbl, t.col, t.tbl))
  FROM tampered t ORDER BY t.n;
SELECT is(t.detail, '1 keys differ (legacy as mapped vs V2), first: ' || t.key, format('... %s.%s: the detail names the key', t.tbl, t.col))
  FROM tampered t ORDER BY t.n;

-- Slugs.
SAVEPOINT t;
UPDATE dropskills_v2.tags SET slug = 'Pas Un Slug' WHERE id = (SELECT min(id) FROM dropskills_v2.tags);
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$,
              $$VALUES ('slug_format', 'tags'), ('content_checksum', 'pack_tags')$$,
              'a malformed slug fails slug_format (and the tag pairs no longer match)');
ROLLBACK TO SAVEPOINT t;
SAVEPOINT t;
ALTER TABLE dropskills_v2.categories DROP CONSTRAINT categories_slug_key;
UPDATE dropskills_v2.categories SET slug = (SELECT slug FROM dropskills_v2.categories WHERE id = 1) WHERE id = 2;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.failing() WHERE check_name = 'slug_unique' AND table_name = 'categories'),
          'a duplicated slug fails slug_unique (and trending ideas now map to the other category)');
ROLLBACK TO SAVEPOINT t;

-- E-mails.
SAVEPOINT t;
DROP INDEX dropskills_v2.users_email_lower_key;
UPDATE dropskills_v2.users SET email = upper((SELECT email FROM dropskills_v2.users WHERE email IS NOT NULL ORDER BY id LIMIT 1))
 WHERE id = (SELECT id FROM dropskills_v2.users WHERE email IS NOT NULL ORDER BY id OFFSET 1 LIMIT 1);
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.failing() WHERE check_name = 'email_unique'),
          'an e-mail used twice (case-insensitively) fails email_unique');
ROLLBACK TO SAVEPOINT t;

-- Foreign keys.
SAVEPOINT t;
ALTER TABLE dropskills_v2.samples DROP CONSTRAINT samples_pack_id_fkey;
UPDATE dropskills_v2.samples SET pack_id = '00000000-0000-0000-0000-000000000bad' WHERE id = 9;
SELECT ok(EXISTS (SELECT 1 FROM pg_temp.failing() WHERE check_name = 'fk_orphans' AND table_name = 'samples'
                  AND detail = 'samples.pack_id -> packs: 1 orphans'),
          'a sample pointing at no pack fails fk_orphans');
ROLLBACK TO SAVEPOINT t;

-- Identities.
SAVEPOINT t;
ALTER TABLE dropskills_v2.admin_logs ALTER COLUMN id RESTART WITH 1;
SELECT set_eq($$SELECT check_name, table_name FROM pg_temp.failing()$$, $$VALUES ('sequence', 'admin_logs')$$,
              'an identity below the legacy ids fails sequence');
ROLLBACK TO SAVEPOINT t;

-- The boundary: ok only when the next V2 id is strictly above every legacy id,
-- whether the sequence was just restarted (not called) or has handed out its value.
CREATE FUNCTION pg_temp.sequence_at(tbl text, restart_with bigint, called boolean)
RETURNS TABLE (ok boolean, next_id bigint, legacy_max bigint, failing text) LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE format('ALTER TABLE dropskills_v2.%I ALTER COLUMN id RESTART WITH %s', tbl, restart_with);
        IF called THEN PERFORM nextval(format('dropskills_v2.%I', tbl || '_id_seq')); END IF;
        SELECT bool_and(v.ok) FILTER (WHERE v.check_name = 'sequence' AND v.table_name = tbl),
               max(v.actual) FILTER (WHERE v.check_name = 'sequence' AND v.table_name = tbl),
               max(v.expected) FILTER (WHERE v.check_name = 'sequence' AND v.table_name = tbl),
               string_agg(v.check_name || ' ' || v.table_name, ', ' ORDER BY v.check_name, v.table_name) FILTER (WHERE NOT v.ok)
          INTO ok, next_id, legacy_max, failing FROM dskv2_verify_integrity() v;
        RAISE EXCEPTION 'undo' USING ERRCODE = 'DSKV0';
    EXCEPTION WHEN SQLSTATE 'DSKV0' THEN
        NULL;
    END;
    RETURN NEXT;
END
$$;
-- (ALTER ... RESTART is transactional, unlike setval: undone with the block.)
CREATE TEMP TABLE seq_before AS SELECT (last_value, is_called)::text AS s FROM dropskills_v2.categories_id_seq;
CREATE TEMP TABLE legacy_max AS
SELECT 'categories'::text AS tbl, (SELECT max(id) FROM public.categories)::bigint AS mx
UNION ALL SELECT 'samples', (SELECT max(id) FROM public.samples)
UNION ALL SELECT 'trending_ideas', (SELECT max(id) FROM public.trending_ideas)
UNION ALL SELECT 'admin_logs', (SELECT max(id) FROM public.admin_logs);
-- next = legacy max: false; next = legacy max + 1: ok; both ways of getting there.
CREATE TEMP TABLE seq_cases AS
SELECT m.tbl, c.label, c.expect_ok, c.expect_next, s.*
  FROM legacy_max m,
       LATERAL (VALUES (1, 'restarted at the legacy max', false, m.mx, m.mx, false),
                       (2, 'restarted at the legacy max + 1', true, m.mx + 1, m.mx + 1, false),
                       (3, 'at the legacy max - 1, called', false, m.mx, m.mx - 1, true),
                       (4, 'at the legacy max, called', true, m.mx + 1, m.mx, true))
               AS c(ord, label, expect_ok, expect_next, restart_with, called),
       LATERAL pg_temp.sequence_at(m.tbl, c.restart_with, c.called) s
 ORDER BY m.tbl, c.ord;
SELECT is(c.next_id, c.expect_next, format('sequence %s %s: the next V2 id reported is %s', c.tbl, c.label, c.expect_next))
  FROM seq_cases c WHERE c.tbl = 'categories';
SELECT is(c.ok, c.expect_ok, format('sequence %s %s (next %s, legacy max %s): ok = %s', c.tbl, c.label, c.next_id, c.legacy_max, c.expect_ok))
  FROM seq_cases c;
SELECT is(c.failing, CASE WHEN c.expect_ok THEN NULL ELSE 'sequence ' || c.tbl END,
          format('... %s %s: no other check fails', c.tbl, c.label))
  FROM seq_cases c WHERE c.tbl = 'categories';
SELECT is((SELECT (last_value, is_called)::text FROM dropskills_v2.categories_id_seq),
          (SELECT s FROM pg_temp.seq_before), 'the sequences are back where the migration left them');

-- Quarantined rows are accounted for by conservation, not compared.
SELECT is((SELECT count(*) FROM dskv2_verify_integrity() WHERE check_name = 'conservation' AND ok), 9::bigint,
          'conservation holds with quarantined and merged rows');

-- Read-only: verification writes nothing and still runs.
SAVEPOINT t;
UPDATE dropskills_v2.packs SET title = 'Tampered again' WHERE id = (SELECT id FROM dropskills_v2.packs ORDER BY id DESC LIMIT 1);
SET LOCAL transaction_read_only = on;
SELECT lives_ok($$SELECT * FROM dskv2_verify_integrity()$$, 'verification runs in a read-only transaction');
ROLLBACK TO SAVEPOINT t;

-- Errors.
SELECT throws_ok($$SELECT * FROM dskv2_verify_integrity('nope')$$, '3F000', NULL, 'a missing source schema is 3F000');
SELECT throws_ok($$SELECT * FROM dskv2_verify_integrity('public', 'not_migrated_yet')$$, '3F000', NULL,
                 'a missing target schema is 3F000');
SELECT throws_ok($$SELECT * FROM dskv2_verify_integrity('public', 'auth')$$, '42P06', NULL, 'a system schema is 42P06');

SELECT * FROM finish();
ROLLBACK;
