-- The migration's SQL surface on the S fixture (deterministic data): dry run,
-- report, re-run, batched run, and every error of SPEC §6 with its SQLSTATE.
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

-- Errors (SPEC §6).
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
