-- The native triggers as SQL sees them (docs/triggers.md): the admin_logs rows of each
-- kind of change, AI usage pricing and replays, attaching and detaching, and
-- every error with its SQLSTATE. On an empty target made by dskv2_create_schema.
SET client_min_messages = warning;
\set SHOW_CONTEXT never
\set VERBOSITY sqlstate
SET TimeZone = 'UTC';
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
SELECT dskv2_create_schema('dropskills_v2');
CREATE TEMP VIEW trail AS
    SELECT action, table_name, record_id, old_data - 'created_at' AS old_data, new_data - 'created_at' AS new_data,
           actor_id, actor_role, source
      FROM dropskills_v2.admin_logs WHERE source = 'trigger' ORDER BY id;
INSERT INTO dropskills_v2.packs (id, slug, title, price, status)
VALUES ('0b0b0b0b-0000-4000-8000-000000000001', 'pack-audit', 'Pack', 10, 'published');

-- Each kind of change, as the application would make it.
BEGIN;
SET LOCAL request.jwt.claims = '{"sub": "0a0a0a0a-0000-4000-8000-000000000001", "role": "authenticated"}';
INSERT INTO dropskills_v2.categories (id, name, slug) VALUES (9000001, 'Audit', 'audit');
UPDATE dropskills_v2.categories SET name = name WHERE id = 9000001;
UPDATE dropskills_v2.categories SET name = 'Audit bis', icon = 'star' WHERE id = 9000001;
DELETE FROM dropskills_v2.categories WHERE id = 9000001;
SELECT * FROM trail;
ROLLBACK;

-- A composite key, a secret column, malformed claims.
BEGIN;
SET LOCAL request.jwt.claims = '{"sub": ';
SET LOCAL dskv2.actor = '0a0a0a0a-0000-4000-8000-000000000002';
ALTER TABLE dropskills_v2.tags ADD COLUMN webhook_secret text;
INSERT INTO dropskills_v2.tags (id, name, slug, webhook_secret) VALUES (9000001, 'Audit', 'audit-tag', 's3cr3t');
INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id) VALUES ('0b0b0b0b-0000-4000-8000-000000000001', 9000001);
SELECT action, table_name, record_id, new_data->>'webhook_secret' AS secret, actor_id, actor_role FROM trail;
ROLLBACK;

-- AI usage: cost, replay, quota and errors.
INSERT INTO dropskills_v2.ai_tools (slug, name, daily_quota, input_price_per_1k, output_price_per_1k)
VALUES ('resume', 'Résumé', 2, 0.15, 0.60), ('ancien', 'Ancien', NULL, 1, 1);
UPDATE dropskills_v2.ai_tools SET is_active = false WHERE slug = 'ancien';
SELECT dskv2_track_ai_usage('resume', NULL, 1200, 800, 'req-1') = dskv2_track_ai_usage('resume', NULL, 1, 1, 'req-1') AS replayed;
SELECT input_tokens, output_tokens, cost, request_id FROM dropskills_v2.ai_usage ORDER BY id;
SELECT dskv2_track_ai_usage('resume', NULL, NULL, NULL) > 0 AS second;
SELECT dskv2_track_ai_usage('resume', NULL, 1, 1);
SELECT dskv2_track_ai_usage('inconnu', NULL, 1, 1);
SELECT dskv2_track_ai_usage('ancien', NULL, 1, 1);
SELECT dskv2_track_ai_usage(NULL, NULL, 1, 1);
SELECT dskv2_track_ai_usage('resume', NULL, -5, 1);
SELECT dskv2_track_ai_usage('resume', NULL, 1, 1, target => 'nulle_part');

-- Attaching and detaching.
SELECT dskv2_audit_enable('dropskills_v2.packs', ARRAY['nope']);
SELECT dskv2_audit_enable('public.products');
SELECT dskv2_audit_enable('dropskills_v2.admin_logs');
SELECT dskv2_audit_enable(NULL);
SELECT dskv2_ai_track('dropskills_v2.ai_usage');
SELECT dskv2_audit_disable('dropskills_v2.tags');
SELECT dskv2_audit_enable('dropskills_v2.favorites', ARRAY['created_at']);
SELECT kind, table_name, enabled, ignored_columns FROM dropskills_v2.trigger_settings ORDER BY kind, table_name;
SELECT tgrelid::regclass AS table_name, tgname FROM pg_trigger WHERE tgname LIKE 'dskv2%' ORDER BY 1, 2;
SELECT dskv2_audit_trigger();
SET client_min_messages = warning;
DROP SCHEMA dropskills_v2 CASCADE;
