-- pgTAP: live sync (dskv2_sync_enable / dskv2_sync_disable) and the switch
-- (dskv2_cutover), docs/switch.md: every kind of legacy change reaches V2 through the
-- migration's own rules in the same transaction, rejected changes are
-- quarantined while V2 keeps the last good row, the switch refuses when
-- verification fails, guards the legacy tables, keeps sign-ups flowing, and
-- rollback takes it all away.
\ir legacy_setup.psql
SELECT plan(82);
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

-- The application role of the legacy app (no rights on V2).
CREATE ROLE dskv2_sync_app;
GRANT USAGE ON SCHEMA public, auth TO dskv2_sync_app;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO dskv2_sync_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO dskv2_sync_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.users TO dskv2_sync_app;
CREATE POLICY sync_app_all ON public.products TO dskv2_sync_app USING (true) WITH CHECK (true);
CREATE POLICY sync_app_all ON public.profiles TO dskv2_sync_app USING (true) WITH CHECK (true);
-- auth.users has row level security, as on Supabase (fixtures/supabase.sql): the app's sign-ups pass it.
CREATE POLICY sync_app_all ON auth.users TO dskv2_sync_app USING (true) WITH CHECK (true);
-- Supabase's usual sign-up trigger: the profile of a new auth user.
CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
    INSERT INTO public.profiles (id, full_name, created_at) VALUES (NEW.id, NEW.raw_user_meta_data ->> 'full_name', NEW.created_at);
    RETURN NEW;
END $$;

-- Bad input.
SELECT throws_ok($$SELECT dskv2_sync_enable('no_such_schema')$$, '3F000', NULL, 'sync_enable: a missing source schema is 3F000');
SELECT throws_ok($$SELECT dskv2_sync_enable('public', 'public')$$, '42P06', NULL, 'sync_enable: the source as target is 42P06');
SELECT throws_ok($$SELECT dskv2_sync_disable('public', 'no_such_target')$$, '3F000', NULL, 'sync_disable: a missing target is 3F000');

SELECT lives_ok($$SELECT dskv2_sync_enable()$$, 'live sync turns on');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgname IN ('dskv2_sync', 'dskv2_sync_truncate')), 20,
          'sync and TRUNCATE triggers on the 9 legacy tables and auth.users');
SELECT is((SELECT string_agg(tgrelid::regclass::text, ',') FROM pg_trigger WHERE tgname = 'dskv2_sync_flush'), 'auth.users',
          'and the end-of-statement sign-up trigger on auth.users');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_runs WHERE mode = 'sync' AND status = 'running'), 1,
          'live sync is a running run in the history');
SELECT lives_ok($$SELECT dskv2_sync_enable()$$, 'turning it on again is harmless');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgname IN ('dskv2_sync', 'dskv2_sync_truncate')), 20, '... and adds nothing');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, 'verification passes once sync is on');
CREATE TEMP TABLE audit_before AS SELECT count(*) AS n FROM dropskills_v2.admin_logs WHERE source = 'trigger';

-- Products: new, renamed, rejected, fixed; slugs serialised and kept.
SET LOCAL ROLE dskv2_sync_app;
INSERT INTO public.products (id, title, price, is_published, created_at)
VALUES ('00000000-0000-4000-8000-0000000000a1', 'Pack Synchro', 10, true, '2026-01-01'),
       ('00000000-0000-4000-8000-0000000000a2', 'Pack Synchro', 12, false, '2026-01-02');
RESET ROLE;
SELECT results_eq($$SELECT id::text, slug COLLATE "default", status, price FROM dropskills_v2.packs WHERE id::text LIKE '00000000-0000-4000-8000-0000000000a_' ORDER BY id$$,
                  $$VALUES ('00000000-0000-4000-8000-0000000000a1', 'pack-synchro', 'published', 10.00::numeric),
                           ('00000000-0000-4000-8000-0000000000a2', 'pack-synchro-2', 'draft', 12.00::numeric)$$,
                  'new products are in V2 at once, written by the app role, with suffixed slugs');
SELECT is((SELECT migration_run_id FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'),
          (SELECT max(id) FROM dropskills_v2.migration_runs WHERE mode = 'sync'), 'a synced row names the sync run');
UPDATE public.products SET title = 'Pack Renommé', price = 15 WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT results_eq($$SELECT title, slug COLLATE "default", price FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'$$,
                  $$VALUES ('Pack Renommé', 'pack-synchro', 15.00::numeric)$$, 'a change reaches V2; the slug stays');
SELECT lives_ok($$UPDATE public.products SET price = -3 WHERE id = '00000000-0000-4000-8000-0000000000a1'$$,
                'a change the mapping rejects does not fail the legacy statement');
SELECT is((SELECT price FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'), 15.00::numeric,
          'V2 keeps the last good version');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_table = 'products'
             AND source_key = '00000000-0000-4000-8000-0000000000a1'), 'negative_price', 'the rejected change is quarantined');
SELECT ok((SELECT NOT ok FROM dskv2_verify_integrity() WHERE check_name = 'content_checksum' AND table_name = 'packs'),
          'verification shows the difference while it lasts');
UPDATE public.products SET price = 5 WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT price FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'), 5.00::numeric,
          'the fixed row reaches V2');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_rejects WHERE source_key = '00000000-0000-4000-8000-0000000000a1'), 0,
          '... and leaves the quarantine');
UPDATE public.products SET title = title WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT title FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'), 'Pack Renommé',
          'an update that changes nothing leaves V2 as it is');
-- A pack's file URL lives in pack_files: written with the pack, changed alone or with it.
UPDATE public.products SET file_url = 'https://files.example.test/a1-v1.zip' WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT file_url FROM dropskills_v2.pack_files WHERE pack_id = '00000000-0000-4000-8000-0000000000a1'),
          'https://files.example.test/a1-v1.zip', 'a change of the file URL alone reaches pack_files');
UPDATE public.products SET file_url = 'https://files.example.test/a1-v2.zip', title = 'Pack Renommé 2'
 WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT f.file_url || ' ' || p.title FROM dropskills_v2.pack_files f JOIN dropskills_v2.packs p ON p.id = f.pack_id
            WHERE f.pack_id = '00000000-0000-4000-8000-0000000000a1'),
          'https://files.example.test/a1-v2.zip Pack Renommé 2', '... and with the pack''s own columns, in one statement');
SELECT is((SELECT count(*)::int FROM dropskills_v2.pack_files WHERE pack_id::text LIKE '00000000-0000-4000-8000-0000000000a_'), 2,
          '... and every new pack got its pack_files row');

-- Samples, stats.
INSERT INTO public.samples (id, product_id, title, file_url) VALUES (900001, '00000000-0000-4000-8000-0000000000a1', 'Extrait', 'https://cdn.example.test/extrait.PDF?x=1');
SELECT is((SELECT type FROM dropskills_v2.samples WHERE id = 900001), 'pdf', 'a new sample, typed by the mapping');
INSERT INTO public.product_stats (product_id, views, downloads) VALUES ('00000000-0000-4000-8000-0000000000a1', -4, NULL);
SELECT results_eq($$SELECT views, downloads FROM dropskills_v2.pack_stats WHERE pack_id = '00000000-0000-4000-8000-0000000000a1'$$,
                  $$VALUES (0::bigint, 0::bigint)$$, 'new stats: negative and NULL counters become 0');
UPDATE public.product_stats SET views = 41 WHERE product_id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT views FROM dropskills_v2.pack_stats WHERE pack_id = '00000000-0000-4000-8000-0000000000a1'), 41::bigint,
          'a stats increment reaches V2');

-- Tags: one V2 tag per slug, duplicates merge, the group is rebuilt on delete.
INSERT INTO public.tags (id, product_id, name) VALUES (900001, '00000000-0000-4000-8000-0000000000a1', 'Marketing Digital'),
                                                      (900002, '00000000-0000-4000-8000-0000000000a1', ' marketing-digital ');
SELECT results_eq($$SELECT t.slug COLLATE "default", pt.legacy_id FROM dropskills_v2.pack_tags pt JOIN dropskills_v2.tags t ON t.id = pt.tag_id
                     WHERE pt.pack_id = '00000000-0000-4000-8000-0000000000a1'$$,
                  $$VALUES ('marketing-digital'::text, 900001)$$, 'a new tag row: one pack_tags row');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_merges WHERE source_table = 'tags' AND source_key = '900002'), 1,
          'its duplicate is merged');
DELETE FROM public.tags WHERE id = 900001;
SELECT results_eq($$SELECT pt.legacy_id FROM dropskills_v2.pack_tags pt WHERE pt.pack_id = '00000000-0000-4000-8000-0000000000a1'$$,
                  $$VALUES (900002)$$, 'deleting the first row: the merged one now carries the pair');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_merges WHERE source_table = 'tags' AND source_key IN ('900001', '900002')), 0,
          '... and no merge record is left');
UPDATE public.tags SET name = '***' WHERE id = 900002;
SELECT is((SELECT count(*)::int FROM dropskills_v2.pack_tags WHERE legacy_id = 900002), 1,
          'a tag renamed to nothing keeps its last good pair in V2');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_table = 'tags' AND source_key = '900002'), 'empty_tag',
          '... and is quarantined');
DELETE FROM public.tags WHERE id = 900002;
SELECT is((SELECT count(*)::int FROM dropskills_v2.pack_tags WHERE pack_id = '00000000-0000-4000-8000-0000000000a1'), 0,
          'a deleted tag row leaves V2');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_rejects WHERE source_table = 'tags' AND source_key = '900002'), 0,
          '... and the quarantine');

-- Sign-ups: auth.users, then the profile.
SET LOCAL ROLE dskv2_sync_app;
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES ('00000000-0000-4000-8000-0000000000b1', '  Nouvelle@Example.TEST ', '{"full_name": "Depuis Auth"}', '2026-02-01');
RESET ROLE;
SELECT results_eq($$SELECT email, full_name, role FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000b1'$$,
                  $$VALUES ('nouvelle@example.test', 'Depuis Auth', 'user')$$, 'a sign-up reaches V2 users');
INSERT INTO public.profiles (id, full_name, role) VALUES ('00000000-0000-4000-8000-0000000000b1', 'Nouvelle Cliente', ' PREMIUM ');
SELECT results_eq($$SELECT full_name, role FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000b1'$$,
                  $$VALUES ('Nouvelle Cliente', 'premium')$$, 'its profile completes the V2 user');
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000b2', 'NOUVELLE@example.test', '2026-02-02');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_table = 'auth.users'
             AND source_key = '00000000-0000-4000-8000-0000000000b2'), 'duplicate_email',
          'a second account with the same e-mail is quarantined, not a unique violation');

-- Sign-ups through a profile trigger: the profile's sync writes the V2 user,
-- once, with the profile in it; the end of the statement has nothing left to do.
CREATE FUNCTION public.dskv2_test_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.profiles (id, full_name, role) VALUES (NEW.id, NEW.raw_user_meta_data ->> 'full_name', 'premium');
    RETURN NEW;
END $$;
CREATE TRIGGER dskv2_test_profile AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.dskv2_test_profile();
CREATE TEMP TABLE users_writes AS
    SELECT pg_stat_get_xact_tuples_inserted('dropskills_v2.users'::regclass) AS ins,
           pg_stat_get_xact_tuples_updated('dropskills_v2.users'::regclass) AS upd;
SET LOCAL ROLE dskv2_sync_app;
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES ('00000000-0000-4000-8000-0000000000c1', 'c1@example.test', '{"full_name": "Profil Un"}', '2026-02-03'),
       ('00000000-0000-4000-8000-0000000000c2', 'c2@example.test', '{"full_name": "Profil Deux"}', '2026-02-04');
RESET ROLE;
SELECT results_eq($$SELECT email, full_name, role FROM dropskills_v2.users WHERE id::text LIKE '00000000-0000-4000-8000-0000000000c_' ORDER BY id$$,
                  $$VALUES ('c1@example.test', 'Profil Un', 'premium'), ('c2@example.test', 'Profil Deux', 'premium')$$,
                  'sign-ups whose profiles a trigger creates reach V2 with their profiles');
SELECT is((SELECT ARRAY[pg_stat_get_xact_tuples_inserted('dropskills_v2.users'::regclass) - ins,
                        pg_stat_get_xact_tuples_updated('dropskills_v2.users'::regclass) - upd] FROM users_writes),
          ARRAY[2, 0]::bigint[], '... each V2 user written once: inserted, never updated');
-- 500 sign-ups in one statement (an import): each synced once, in row order.
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(4096 + g), 12, '0'))::uuid, 'import' || g || '@example.test',
       jsonb_build_object('full_name', 'Import ' || g), '2026-02-10'::timestamptz + g * interval '1 minute'
  FROM generate_series(1, 500) g;
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE email LIKE 'import%@example.test' AND role = 'premium'), 500,
          '500 sign-ups in one statement: 500 V2 users with their profiles');
-- A profile trigger whose insert is undone (its subtransaction rolls back):
-- the V2 user it wrote goes too, and the end of the statement writes it from auth.users.
CREATE OR REPLACE FUNCTION public.dskv2_test_profile() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO public.profiles (id, full_name, role) VALUES (NEW.id, 'Annulé', 'admin');
        RAISE EXCEPTION 'no profile after all';
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
    RETURN NEW;
END $$;
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES ('00000000-0000-4000-8000-0000000000c3', 'c3@example.test', '{"full_name": "Sans Profil"}', '2026-02-05');
SELECT results_eq($$SELECT full_name, role FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000c3'$$,
                  $$VALUES ('Sans Profil', 'user')$$, 'a profile rolled back by its trigger: the V2 user comes from auth.users alone');
-- A rolled back savepoint takes its sign-up away.
SAVEPOINT before_c4;
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000c4', 'c4@example.test', '2026-02-06');
ROLLBACK TO SAVEPOINT before_c4;
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000c5', 'c5@example.test', '2026-02-06');
SELECT results_eq($$SELECT email FROM dropskills_v2.users WHERE id::text LIKE '00000000-0000-4000-8000-0000000000c_' AND id::text > '00000000-0000-4000-8000-0000000000c3' ORDER BY id$$,
                  $$VALUES ('c5@example.test')$$, 'a sign-up undone by ROLLBACK TO SAVEPOINT leaves no V2 user; the next one is synced');
-- Without the end-of-statement trigger (disabled), a sign-up is synced at once.
ALTER TABLE auth.users DISABLE TRIGGER dskv2_sync_flush;
DROP TRIGGER dskv2_test_profile ON auth.users;
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000c6', 'c6@example.test', '2026-02-07');
SELECT is((SELECT email FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000c6'), 'c6@example.test',
          'with dskv2_sync_flush disabled, the row trigger syncs a sign-up at once');
ALTER TABLE auth.users ENABLE TRIGGER dskv2_sync_flush;

-- Favorites: duplicates merge into the earliest.
INSERT INTO public.favorites (id, user_id, product_id, created_at)
VALUES (900001, '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1', '2026-03-02'),
       (900002, '00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000a1', '2026-03-01');
SELECT results_eq($$SELECT to_char(created_at, 'YYYY-MM-DD'), legacy_id FROM dropskills_v2.favorites WHERE user_id = '00000000-0000-4000-8000-0000000000b1'$$,
                  $$VALUES ('2026-03-01', 900001)$$, 'duplicate favorites: one V2 row with the earliest date');
DELETE FROM public.favorites WHERE id = 900002;
SELECT is((SELECT to_char(created_at, 'YYYY-MM-DD') FROM dropskills_v2.favorites WHERE user_id = '00000000-0000-4000-8000-0000000000b1'),
          '2026-03-02', 'removing the earlier one moves the date forward');

-- Legacy admin_logs follow their source, through the append-only guard.
INSERT INTO public.admin_logs (id, admin_id, action, target_type, target_id, details, created_at)
VALUES (900001, NULL, 'ban', 'profiles', 'x', '{"why": "spam"}', '2026-04-01');
SELECT is((SELECT source FROM dropskills_v2.admin_logs WHERE id = 900001), 'legacy', 'a legacy log row reaches V2');
UPDATE public.admin_logs SET action = 'unban' WHERE id = 900001;
SELECT is((SELECT action FROM dropskills_v2.admin_logs WHERE id = 900001), 'unban', 'a corrected legacy log row is followed');
SELECT throws_ok($$DELETE FROM dropskills_v2.admin_logs WHERE id = 900001$$, '42501', NULL,
                 'V2 admin_logs stays append-only for everyone else');

-- Deletes: the V2 row goes, V2 foreign keys act, legacy children left behind are quarantined.
DELETE FROM public.products WHERE id = '00000000-0000-4000-8000-0000000000a1';
SELECT is((SELECT count(*)::int FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a1'), 0,
          'a deleted product leaves V2');
SELECT is((SELECT count(*)::int FROM dropskills_v2.samples WHERE id = 900001), 0, '... with its samples');
SELECT is((SELECT reason FROM dropskills_v2.migration_rejects WHERE source_table = 'favorites' AND source_key = '900001'),
          'orphan_pack', 'a legacy favorite of it (no legacy foreign key) is quarantined as an orphan');
DELETE FROM auth.users WHERE id = '00000000-0000-4000-8000-0000000000b2';
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_rejects WHERE source_key = '00000000-0000-4000-8000-0000000000b2'), 0,
          'a deleted auth user leaves the quarantine');

SELECT throws_ok($$TRUNCATE public.tags$$, '55000', NULL, 'TRUNCATE of a synced table is refused while sync is on');
SELECT is((SELECT n FROM audit_before), (SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'trigger'),
          'sync writes are not audited per row');

-- A change V2 cannot take (a constraint the DBA added): quarantined as sync_error, legacy goes on.
ALTER TABLE dropskills_v2.packs ADD CONSTRAINT no_boom CHECK (title <> 'Boom');
SELECT lives_ok($$INSERT INTO public.products (id, title, price) VALUES ('00000000-0000-4000-8000-0000000000a9', 'Boom', 1)$$,
                'a V2 error does not fail the legacy statement');
SELECT is((SELECT reason || ':' || (row_data->>'sqlstate') FROM dropskills_v2.migration_rejects
            WHERE source_key = '00000000-0000-4000-8000-0000000000a9'), 'sync_error:23514', '... it is quarantined with its SQLSTATE');
DELETE FROM public.products WHERE id = '00000000-0000-4000-8000-0000000000a9';
ALTER TABLE dropskills_v2.packs DROP CONSTRAINT no_boom;

-- A legacy column added while sync runs: the statements are prepared again.
ALTER TABLE public.products ADD COLUMN promo_code text;
INSERT INTO public.products (id, title, price, promo_code) VALUES ('00000000-0000-4000-8000-0000000000a3', 'Avec Promo', 1, 'NOEL');
SELECT is((SELECT legacy->>'promo_code' FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a3'), 'NOEL',
          'a new legacy column lands in legacy jsonb');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, 'after all those changes, verification passes');

-- An untrusted target (another role holds TRIGGER on a V2 table): the sync trigger would write
-- there as the owner, so it refuses the legacy statement (42501) and writes nothing, not even a
-- quarantine record; once the grant is gone, the same write goes through.
GRANT TRIGGER ON dropskills_v2.tags TO dskv2_sync_app;
SAVEPOINT untrusted;
SET LOCAL ROLE dskv2_sync_app;
SELECT throws_like($$UPDATE public.products SET title = 'Pendant la faille' WHERE id = '00000000-0000-4000-8000-0000000000a3'$$,
                   '%not trusted: table dropskills_v2.tags grants TRIGGER to dskv2_sync_app%',
                   'a legacy write while the target is not trusted: refused (42501), naming the object');
RESET ROLE;
ROLLBACK TO SAVEPOINT untrusted;
REVOKE TRIGGER ON dropskills_v2.tags FROM dskv2_sync_app;
UPDATE public.products SET title = 'Après la faille' WHERE id = '00000000-0000-4000-8000-0000000000a3';
SELECT is((SELECT title FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-0000000000a3'), 'Après la faille',
          '... and synced again once the grant is revoked');

-- Security: API roles cannot turn sync on or switch.
SELECT ok(NOT has_function_privilege('authenticated', 'dskv2_sync_enable(name, name)', 'EXECUTE'), 'authenticated cannot run sync_enable');
SELECT ok(NOT has_function_privilege('anon', 'dskv2_cutover(name, name, name[])', 'EXECUTE'), 'anon cannot run cutover');

-- The switch refuses while verification fails, and changes nothing.
UPDATE public.products SET price = -1 WHERE id = '00000000-0000-4000-8000-0000000000a2';
CREATE TEMP TABLE refused AS SELECT * FROM dskv2_cutover();
SELECT ok((SELECT bool_and(NOT ok) FROM refused), 'a refused switch returns only failing rows');
SELECT ok(EXISTS (SELECT 1 FROM refused WHERE step = 'verify:conservation:products'), 'they name the failing checks');
SELECT is((SELECT detail FROM refused WHERE step = 'cutover'),
          'refused: verification failed; nothing was changed (see dskv2_verify_integrity())', 'and say nothing changed');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgname = 'dskv2_guard'), 0, 'no guard was installed');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_runs WHERE mode = 'cutover'), 0, 'no switch is recorded');
SELECT throws_ok($$SELECT * FROM dskv2_cutover(exempt_roles => '{no_such_role}')$$, '22023', NULL, 'an unknown exempt role is 22023');

-- The switch.
UPDATE public.products SET price = 1 WHERE id = '00000000-0000-4000-8000-0000000000a2';
CREATE TEMP TABLE switched AS SELECT * FROM dskv2_cutover(exempt_roles => '{supabase_admin}');
SELECT ok((SELECT bool_and(ok) FROM switched), 'the switch succeeds');
SELECT is((SELECT count(*)::int FROM switched WHERE step = 'guard'), 9, 'it guards the 9 public legacy tables');
SELECT is((SELECT string_agg(tgrelid::regclass::text, ',' ORDER BY tgrelid::regclass::text) FROM pg_trigger
            WHERE tgname = 'dskv2_sync' AND tgenabled <> 'D'),
          'auth.users,profiles', 'sync stays on for auth.users and profiles only (disabled on the others)');
SET LOCAL ROLE dskv2_sync_app;
SELECT throws_ok($$UPDATE public.product_stats SET views = 0$$, '25006', NULL, 'application writes to legacy tables fail with 25006');
SELECT throws_ok($$INSERT INTO public.favorites (user_id, product_id) VALUES (NULL, NULL)$$, '25006', NULL, '... inserts too');
SELECT throws_ok($$TRUNCATE public.tags$$, '25006', NULL, '... and TRUNCATE');
RESET ROLE;
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
SET LOCAL ROLE dskv2_sync_app;
SELECT lives_ok($$INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
                  VALUES ('00000000-0000-4000-8000-0000000000b3', 'apres@example.test', '{"full_name": "Après"}', now())$$,
                'a sign-up after the switch goes on (its profile comes from a trigger)');
RESET ROLE;
SELECT results_eq($$SELECT email, full_name FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000b3'$$,
                  $$VALUES ('apres@example.test', 'Après')$$, '... and reaches V2 users');
SELECT lives_ok($$UPDATE public.product_stats SET views = views WHERE false$$, 'an exempt role may still write');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_runs WHERE mode = 'cutover' AND status = 'completed'), 1,
          'the switch is in the run history');
SELECT is((SELECT details->'exempt_roles' FROM dropskills_v2.admin_logs WHERE action = 'CUTOVER' AND source = 'migration'),
          '["supabase_admin"]'::jsonb, '... and in admin_logs');

-- Rollback undoes guards and sync first.
SELECT is((SELECT count(*)::int FROM dskv2_rollback('dropskills_v2', 'dropskills_v2') WHERE action = 'dropped trigger'), 30,
          'rollback drops the 9 guards and the 21 sync triggers');
SELECT is((SELECT count(*)::int FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname IN ('dskv2_sync_trigger', 'dskv2_guard_trigger')), 0,
          'no sync or guard trigger is left');
SET LOCAL ROLE dskv2_sync_app;
SELECT lives_ok($$UPDATE public.product_stats SET views = views + 1$$, 'the legacy app writes again after the rollback');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
