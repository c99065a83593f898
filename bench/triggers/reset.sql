-- Between two pgbench runs: the tables back to their state after setup (a run
-- may stop between two statements of a script), the benchmark's audit and AI
-- usage rows removed, everything vacuumed, a checkpoint.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DELETE FROM dropskills_v2.packs WHERE slug LIKE 'bench-%';
INSERT INTO dropskills_v2.favorites (user_id, pack_id, created_at, legacy, legacy_id, migration_run_id)
SELECT b.user_id, b.pack_id, b.created_at, b.legacy, b.legacy_id, b.migration_run_id
  FROM bench.favorites b
 WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.favorites f WHERE f.user_id = b.user_id AND f.pack_id = b.pack_id);
-- admin_logs is append-only (a BEFORE DELETE trigger): the replica role skips it.
SET session_replication_role = replica;
DELETE FROM dropskills_v2.admin_logs WHERE id > (SELECT admin_logs FROM bench.floor);
RESET session_replication_role;
DELETE FROM dropskills_v2.ai_usage WHERE id > (SELECT ai_usage FROM bench.floor);
VACUUM (ANALYZE) dropskills_v2.packs, dropskills_v2.favorites, dropskills_v2.admin_logs, dropskills_v2.ai_usage;
CHECKPOINT;
