-- pgTAP: dskv2_verify_integrity is all true after a clean migration, and every
-- kind of tampering turns the relevant check false and names the key.
\ir legacy_setup.psql
SELECT plan(24);
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

CREATE FUNCTION pg_temp.failing() RETURNS TABLE (check_name text, table_name text, detail text) LANGUAGE sql AS $$
    SELECT v.check_name, v.table_name, v.detail FROM dskv2_verify_integrity() v WHERE NOT v.ok $$;

SELECT is((SELECT count(*) FROM dskv2_verify_integrity()), 44::bigint, 'every check is reported (9 + 9 + 13 + 8 + 1 + 4)');
SELECT is((SELECT count(*) FROM pg_temp.failing()), 0::bigint, 'every check is true after a clean migration');
SELECT set_eq($$SELECT DISTINCT check_name FROM dskv2_verify_integrity()$$,
              ARRAY['conservation', 'content_checksum', 'fk_orphans', 'slug_unique', 'slug_format', 'email_unique', 'sequence'],
              'the check names of SPEC §5');

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
