-- The writes of check.sql, run once per audit trigger: the statements of the
-- two pgbench scripts on fixed rows, each in its own transaction.
INSERT INTO dropskills_v2.packs (id, slug, title, description, price, category_id, cover_url, format,
                                 language, is_premium, status, author_id, created_at)
SELECT '00000000-0000-4000-8000-00000000beec', 'bench-check', title, description, price, category_id, cover_url,
       format, language, is_premium, status, author_id, '2026-01-01 00:00:00+00'
  FROM bench.pack_src WHERE n = 1;
UPDATE dropskills_v2.packs SET price = 12.34, updated_at = '2026-01-02 00:00:00+00'
 WHERE id = '00000000-0000-4000-8000-00000000beec';
DELETE FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-00000000beec';
UPDATE dropskills_v2.favorites f SET created_at = '2026-01-03 00:00:00+00'
  FROM bench.favorites b WHERE b.n = 1 AND f.user_id = b.user_id AND f.pack_id = b.pack_id;
DELETE FROM dropskills_v2.favorites f
 USING bench.favorites b WHERE b.n = 1 AND f.user_id = b.user_id AND f.pack_id = b.pack_id;
INSERT INTO dropskills_v2.favorites (user_id, pack_id, created_at, legacy, legacy_id, migration_run_id)
SELECT user_id, pack_id, created_at, legacy, legacy_id, migration_run_id FROM bench.favorites WHERE n = 1;
