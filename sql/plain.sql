-- Plain PostgreSQL: no Supabase `auth` schema (and whatever roles the cluster
-- has): everything installs and works, RLS on every V2 table, the policies that
-- need Supabase left out.
-- The suite's own database, to come back to (contrib_regression, or another with --use-existing).
\set suite_db :DBNAME
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY sqlstate
CREATE DATABASE dskv2_plain;
\c dskv2_plain
SET client_min_messages = warning;
\set VERBOSITY sqlstate
CREATE EXTENSION dropskills_v2;
SELECT dskv2_create_schema();
SELECT count(*) AS tables, count(*) FILTER (WHERE relrowsecurity) AS with_rls
  FROM pg_class WHERE relnamespace = 'dropskills_v2'::regnamespace AND relkind = 'r';
SELECT count(*) AS policies FROM pg_policies WHERE schemaname = 'dropskills_v2';
-- <target>_private holds the owner's registrations everywhere; the admin
-- helper only where Supabase's roles exist.
SELECT count(*) AS private_schemas, count(p.oid) AS admin_helpers
  FROM pg_namespace n LEFT JOIN pg_proc p ON p.pronamespace = n.oid AND p.proname = 'is_admin'
 WHERE n.nspname = 'dropskills_v2_private';
-- The owner works as usual; the triggers too.
INSERT INTO dropskills_v2.categories (id, name, slug) VALUES (1, 'Marketing', 'marketing');
SELECT action, table_name, record_id, actor_id, source FROM dropskills_v2.admin_logs;
INSERT INTO dropskills_v2.ai_tools (slug, name, daily_quota) VALUES ('resume', 'Résumé', 1);
SELECT dskv2_track_ai_usage('resume', NULL, 10, 10) > 0 AS tracked;
SELECT dskv2_track_ai_usage('resume', NULL, 10, 10);
SELECT dskv2_pack_file_url('00000000-0000-4000-8000-000000000000') AS no_such_pack;
DELETE FROM dropskills_v2.admin_logs;
SELECT dskv2_create_schema();  -- idempotent
SELECT * FROM dskv2_rollback('dropskills_v2', 'dropskills_v2') WHERE action = 'dropped schema';
\c :suite_db
SET client_min_messages = warning;
DROP DATABASE dskv2_plain;
