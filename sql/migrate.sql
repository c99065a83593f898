-- The migration's SQL surface on the S fixture (deterministic data): dry run,
-- report, re-run, batched run, and every error of docs/errors.md with its SQLSTATE.
SET client_min_messages = warning;
\set SHOW_CONTEXT never
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
\set ECHO none
\i fixtures/supabase.sql
\i fixtures/legacy_schema.sql
\i fixtures/generate.sql
\set ECHO all
SELECT sum(row_count) AS legacy_rows FROM dskv2_fixture.generate('S');
SELECT * FROM dskv2_fixture.add_unknown_columns();
SET client_min_messages = notice;

-- The dry run writes nothing and reports unmapped columns and predicted rejects.
SELECT source_table, target_table, source_rows, missing_columns, unmapped_columns, predicted_rejects, reject_reasons
FROM dskv2_plan();
SELECT count(*) AS target_schemas FROM pg_namespace WHERE nspname = 'dropskills_v2';

-- The migration: one row per legacy table, in order, conservation in each.
SELECT source_table, target_table, rows_read, rows_written, rows_merged, rows_rejected, warnings,
       rows_read = rows_written + rows_merged + rows_rejected AS conserved
FROM dskv2_migrate_all();
SELECT source_table, reason, count(*) FROM dropskills_v2.migration_rejects GROUP BY 1, 2 ORDER BY 1, 2;
SELECT mode, status FROM dropskills_v2.migration_runs;
-- Slugs, pinned: in processing order (created_at NULLS LAST, id) the first row
-- of a stem keeps it, the next ones get -2, -3, ... the first free suffix; an
-- empty stem falls back to pack / category / idea; a suffixed slug can collide
-- with a natural one (pack-2 taken by the second "pack", so "Pack 2" gets pack-2-2).
CREATE TEMP VIEW slug_rows AS
SELECT 'packs'::text AS tbl, p.id::text AS id, p.slug, COALESCE(NULLIF(dskv2_slugify(l.title), ''), 'pack') AS stem,
       l.created_at, row_number() OVER (ORDER BY l.created_at NULLS LAST, l.id) AS ord
  FROM dropskills_v2.packs p JOIN public.products l ON l.id = p.id
UNION ALL
SELECT 'categories', c.id::text, c.slug, COALESCE(NULLIF(dskv2_slugify(l.name), ''), 'category'),
       l.created_at, row_number() OVER (ORDER BY l.created_at NULLS LAST, l.id)
  FROM dropskills_v2.categories c JOIN public.categories l ON l.id = c.id
UNION ALL
SELECT 'trending_ideas', t.id::text, t.slug, COALESCE(NULLIF(dskv2_slugify(l.title), ''), 'idea'),
       l.created_at, row_number() OVER (ORDER BY l.created_at NULLS LAST, l.id)
  FROM dropskills_v2.trending_ideas t JOIN public.trending_ideas l ON l.id = t.id;
-- Every stem that more than one row wants, the natural slugs shaped like one
-- of its suffixes (pack-3 from "Pack 3"), and stems another row's suffix took.
SELECT r.tbl, r.stem, r.slug, r.ord AS processing_order
  FROM slug_rows r
 WHERE r.stem IN (SELECT x.stem FROM slug_rows x WHERE x.tbl = r.tbl GROUP BY x.stem HAVING count(*) > 1)
    OR r.stem IN (SELECT x.slug FROM slug_rows x WHERE x.tbl = r.tbl AND x.slug <> x.stem)
    OR EXISTS (SELECT 1 FROM slug_rows x WHERE x.tbl = r.tbl AND x.slug <> x.stem AND r.slug ~ ('^' || x.stem || '-[0-9]+$'))
 ORDER BY r.tbl, regexp_replace(r.stem, '(-[0-9]+)+$', ''), r.ord;
-- Tags: one per distinct slug (rows whose names slugify alike share it), named
-- by the first accepted row's trimmed name; never suffixed.
SELECT t.slug, t.name, count(pt.tag_id) AS pack_tags
  FROM dropskills_v2.tags t LEFT JOIN dropskills_v2.pack_tags pt ON pt.tag_id = t.id
 GROUP BY t.id, t.slug, t.name ORDER BY t.slug;
SELECT count(*) AS tags, count(DISTINCT slug) AS distinct_slugs, min(id) AS first_id, max(id) AS last_id FROM dropskills_v2.tags;
-- The plan now agrees with what happened: nothing left to migrate.
SELECT source_table, predicted_rejects, notes FROM dskv2_plan();
-- Verification: every check true after a clean migration.
SELECT check_name, table_name, ok, expected, actual FROM dskv2_verify_integrity()
WHERE check_name IN ('conservation', 'content_checksum', 'sequence') OR NOT ok;
-- A tampered V2 row: the check turns false and names the key. admin_logs is
-- append-only: the tampering DBA has to disable its guard first.
SET client_min_messages = warning;
UPDATE dropskills_v2.admin_logs SET action = 'tampered' WHERE id = 42;
ALTER TABLE dropskills_v2.admin_logs DISABLE TRIGGER dskv2_append_only;
UPDATE dropskills_v2.admin_logs SET action = 'tampered' WHERE id = 42;
SELECT check_name, table_name, ok, detail FROM dskv2_verify_integrity() WHERE NOT ok;
UPDATE dropskills_v2.admin_logs a SET action = l.action FROM public.admin_logs l WHERE a.id = 42 AND l.id = 42;
ALTER TABLE dropskills_v2.admin_logs ENABLE TRIGGER dskv2_append_only;
SELECT count(*) AS failing_checks FROM dskv2_verify_integrity() WHERE NOT ok;
SET client_min_messages = notice;

-- A second run on unchanged data reports zeros.
SET client_min_messages = warning;
SELECT source_table, rows_read, rows_written, rows_merged, rows_rejected, warnings FROM dskv2_migrate_all();

-- A batched run into another target reaches the same counts (its progress
-- NOTICEs carry rates, so they are not shown here).
CALL dskv2_migrate('public', 'v2_batched', 500);
SELECT table_name, rows_done, rows_total, percent FROM dskv2_progress_of('v2_batched');
SELECT (SELECT count(*) FROM v2_batched.packs) = (SELECT count(*) FROM dropskills_v2.packs) AS same_packs,
       (SELECT count(*) FROM v2_batched.migration_rejects) = (SELECT count(*) FROM dropskills_v2.migration_rejects) AS same_rejects;
-- ... and the same slugs, and tag ids, as the one-transaction run.
SELECT (SELECT count(*) FROM v2_batched.packs b JOIN dropskills_v2.packs a USING (id) WHERE a.slug = b.slug) AS same_pack_slugs,
       (SELECT count(*) FROM v2_batched.categories b JOIN dropskills_v2.categories a USING (id) WHERE a.slug = b.slug) AS same_category_slugs,
       (SELECT count(*) FROM v2_batched.trending_ideas b JOIN dropskills_v2.trending_ideas a USING (id) WHERE a.slug = b.slug) AS same_idea_slugs,
       (SELECT count(*) FROM v2_batched.tags b JOIN dropskills_v2.tags a USING (id) WHERE a.slug = b.slug) AS same_tag_ids;

-- Errors (docs/errors.md).
\set VERBOSITY sqlstate
SELECT * FROM dskv2_migrate_all('no_such_schema');
SELECT * FROM dskv2_migrate_all('public', 'public');
SELECT * FROM dskv2_migrate_all('public', 'pg_catalog');
SELECT * FROM dskv2_migrate_all('public', 'auth');
CREATE SCHEMA not_ours;
SELECT * FROM dskv2_migrate_all('public', 'not_ours');
SELECT dskv2_create_schema('not_ours');
SELECT * FROM dskv2_migrate_table('samples', 'public', 'fresh_target');
SELECT * FROM dskv2_migrate_table('no_such_table');
CALL dskv2_migrate('public', 'v2_other', 0);
BEGIN;
CALL dskv2_migrate('public', 'v2_other', 100);
ROLLBACK;
ALTER TABLE public.products RENAME COLUMN title TO product_title;
SELECT * FROM dskv2_migrate_all('public', 'v2_drift');
\set VERBOSITY default
SELECT * FROM dskv2_migrate_all('public', 'v2_drift');
SELECT source_table, missing_columns, notes FROM dskv2_plan('public', 'v2_drift') WHERE source_table = 'products';
ALTER TABLE public.products RENAME COLUMN product_title TO title;
SELECT count(*) AS drift_targets FROM pg_namespace WHERE nspname IN ('v2_drift', 'fresh_target', 'v2_other');

SET client_min_messages = warning;
DROP SCHEMA dropskills_v2, v2_batched, not_ours CASCADE;
DROP SCHEMA dskv2_fixture CASCADE;
DROP TABLE public.admin_logs, public.trending_ideas, public.product_stats, public.favorites, public.tags,
           public.samples, public.products, public.categories, public.profiles;
