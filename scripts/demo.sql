-- The demo: realistic legacy titles and sample URLs from a French training-pack
-- marketplace, through the extension's native functions. Run as supabase_admin
-- (scripts/demo.sh): as on Supabase, it sets the database up (fixtures/supabase.sql)
-- and creates the extension; the DBA's part runs as postgres, who is not a superuser.
\pset footer off
\set QUIET on
SET client_min_messages = warning;
\i fixtures/supabase.sql
RESET client_min_messages;
\set QUIET off
CREATE EXTENSION dropskills_v2;
SELECT extversion AS "dropskills_v2 version" FROM pg_extension WHERE extname = 'dropskills_v2';

\echo '--- dskv2_slugify: legacy titles to URL slugs'
SELECT title, dskv2_slugify(title) AS slug
FROM (VALUES
    ('Formation Complète : Créer son E-commerce (2024)'),
    ('L’IA pour les nuls — ChatGPT & Midjourney'),
    ('Les 10 clés du succès 🚀🚀'),
    ('Pâtisserie &amp; Boulangerie : œufs, crème brûlée…'),
    ('Ça marche ! Vendre 1,000 ebooks/mois'),
    ('Cours d''anglais – niveau B2'),
    ('  Développement personnel ♥  '),
    ('Straße, Øresund, Łódź, Þingvellir'),
    ('Ψυχολογία του χρήματος'),
    ('Маркетинг в социальных сетях'),
    ('北京 市场营销')
) AS t(title);

\echo '--- dskv2_slugify with a separator and a whole-word max_length'
SELECT dskv2_slugify('Formation Complète : Créer son E-commerce', '_') AS underscore,
       dskv2_slugify('Formation Complète : Créer son E-commerce', max_length => 25) AS max_25;

\echo '--- dskv2_detect_sample_type: what a buyer will open'
SELECT source, hint, dskv2_detect_sample_type(source, hint) AS type
FROM (VALUES
    ('https://cdn.dropskills.fr/samples/Guide%20Complet.PDF', 'PDF'),
    ('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Vidéo'),
    ('https://vimeo.com/76979871', NULL),
    ('extrait-chapitre-1.mp3', 'audio/mpeg'),
    ('https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0', NULL),
    ('https://www.canva.com/design/DAF123/view', NULL),
    ('modele-business-plan.xlsx', 'application/octet-stream'),
    ('pack-complet.zip', NULL),
    ('livre-blanc.epub', NULL),
    ('https://dropskills.fr/formation/seo', NULL),
    (NULL, 'Vidéo'),
    ('installer.exe', NULL),
    (NULL, NULL)
) AS s(source, hint);

\echo '--- magic bytes win over a misleading name'
SELECT dskv2_detect_sample_type('apercu.mp4', NULL, '\x255044462d312e370a'::bytea) AS pdf_named_mp4,
       dskv2_detect_sample_type('data:application/pdf;base64,JVBERi0xLjQK') AS data_url;

\echo
\echo '=== A sample legacy Dropskills database (Supabase emulation, messy French data, size S)'
\set QUIET on
\c - postgres
SET client_min_messages = warning;
\i fixtures/legacy_schema.sql
\c - supabase_admin
SET client_min_messages = warning;
\i fixtures/generate.sql
RESET client_min_messages;
\set QUIET off
SELECT * FROM dskv2_fixture.generate('S');

\echo '=== From here on the DBA works as postgres, who is not a superuser (as on Supabase)'
\set QUIET on
\c - postgres
\set QUIET off
SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user;

\echo '=== dskv2_plan(): the dry run (writes nothing)'
SELECT source_table, target_table, source_rows, predicted_rejects, reject_reasons, missing_columns, unmapped_columns
FROM dskv2_plan();

\echo '=== CALL dskv2_migrate(batch_size => 1000): batched, committed, resumable, with progress'
SET dskv2.progress_interval = 0;
CALL dskv2_migrate(batch_size => 1000);

\echo '=== The per-table report of that run (rows_read = rows_written + rows_merged + rows_rejected)'
SELECT r->>'source_table' AS source_table, r->>'target_table' AS target_table,
       (r->>'rows_read')::bigint AS rows_read, (r->>'rows_written')::bigint AS rows_written,
       (r->>'rows_merged')::bigint AS rows_merged, (r->>'rows_rejected')::bigint AS rows_rejected,
       (r->>'warnings')::bigint AS warnings
FROM dropskills_v2.migration_runs, jsonb_array_elements(report) r
WHERE id = (SELECT max(id) FROM dropskills_v2.migration_runs);

\echo '=== dskv2_verify_integrity(): the proof (failing checks first; all true after a clean migration)'
SELECT check_name, table_name, ok, expected, actual, detail
FROM dskv2_verify_integrity()
WHERE check_name IN ('conservation', 'content_checksum') OR NOT ok
ORDER BY ok, check_name, table_name;

\echo '=== The quarantine: every rejected legacy row, with one reason'
SELECT source_table, reason, count(*) FROM dropskills_v2.migration_rejects GROUP BY 1, 2 ORDER BY 1, 2;

\echo '=== A few V2 packs: slugs with collision suffixes, statuses, sample types'
SELECT p.title, p.slug, p.status, s.type AS first_sample_type
FROM dropskills_v2.packs p
LEFT JOIN LATERAL (SELECT type FROM dropskills_v2.samples WHERE pack_id = p.id ORDER BY id LIMIT 1) s ON true
WHERE p.slug <> COALESCE(NULLIF(dskv2_slugify(p.title), ''), 'pack')   -- the slug needed a suffix
   OR dskv2_slugify(p.title) = ''                                      -- an emoji-only title
ORDER BY p.created_at NULLS LAST, p.id LIMIT 10;

\echo '=== Tampering with V2 is caught and the key named (then undone)'
BEGIN;
UPDATE dropskills_v2.packs SET price = price + 1 WHERE slug = (SELECT slug FROM dropskills_v2.packs WHERE price IS NOT NULL ORDER BY slug LIMIT 1);
SELECT check_name, table_name, ok, detail FROM dskv2_verify_integrity() WHERE NOT ok;
ROLLBACK;

\echo '=== A second run on unchanged data reports zeros'
SELECT source_table, rows_read, rows_written, rows_rejected FROM dskv2_migrate_all();

\echo '=== The audit trail: a user edits a pack through the API (claims as PostgREST sets them)'
SELECT id AS demo_pack FROM dropskills_v2.packs ORDER BY id LIMIT 1 \gset
SELECT id AS demo_user FROM dropskills_v2.users ORDER BY id LIMIT 1 \gset
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'demo_user', 'role', 'authenticated')::text, true) IS NOT NULL AS claims_set;
UPDATE dropskills_v2.packs SET title = 'Titre corrigé', price = 19.90 WHERE id = :'demo_pack';
UPDATE dropskills_v2.packs SET title = title WHERE id = :'demo_pack';   -- a no-op: not logged
COMMIT;
SELECT action, table_name, record_id, old_data, new_data, actor_id, actor_role, source
FROM dropskills_v2.admin_logs WHERE source <> 'legacy' ORDER BY id DESC LIMIT 2;

\echo '=== AI metering: a tool with a daily quota of 2, a replayed request id, then PT429'
INSERT INTO dropskills_v2.ai_tools (slug, name, provider, model, daily_quota, input_price_per_1k, output_price_per_1k)
VALUES ('resume', 'Résumé de pack', 'openai', 'gpt-4o-mini', 2, 0.15, 0.60);
SELECT dskv2_track_ai_usage('resume', :'demo_user', 1200, 800, 'req-1') AS first_request,
       dskv2_track_ai_usage('resume', :'demo_user', 1200, 800, 'req-1') AS replayed,
       dskv2_track_ai_usage('resume', :'demo_user', 300, 100) AS second_request;
SELECT input_tokens, output_tokens, cost, request_id FROM dropskills_v2.ai_usage ORDER BY id;
\set ON_ERROR_STOP 0
SELECT dskv2_track_ai_usage('resume', :'demo_user', 10, 10) AS third_request;
\set ON_ERROR_STOP 1

\echo
\echo '=== Live sync needs the ownership of auth.users, which postgres lacks on Supabase: the preflight says who can give it'
SELECT step, object, ok, grantor, statement FROM dskv2_preflight() WHERE NOT ok;
\echo '=== ... and supabase_admin does'
\set QUIET on
\c - supabase_admin
\set QUIET off
GRANT supabase_auth_admin TO postgres;
\set QUIET on
\c - postgres
\set QUIET off
\echo '=== Live sync: the legacy app keeps writing, V2 follows in the same transaction'
SELECT dskv2_sync_enable();
INSERT INTO public.products (id, title, price, is_published, created_at)
VALUES ('00000000-0000-4000-8000-00000000de01', 'Formation Démo : Live Sync', 49, true, now());
UPDATE public.products SET price = -5 WHERE id = '00000000-0000-4000-8000-00000000de01';  -- rejected: V2 keeps 49
SELECT p.slug, p.title, p.price, p.status, r.reason AS quarantined_change
  FROM dropskills_v2.packs p LEFT JOIN dropskills_v2.migration_rejects r ON r.source_key = p.id::text
 WHERE p.id = '00000000-0000-4000-8000-00000000de01';
\echo '=== dskv2_cutover(): refused while a change is quarantined (nothing changed) ...'
SELECT step, ok, detail FROM dskv2_cutover() WHERE step LIKE 'verify:%' OR step = 'cutover';
UPDATE public.products SET price = 39 WHERE id = '00000000-0000-4000-8000-00000000de01';  -- fixed in legacy
\echo '=== ... and done once it is fixed (steps summed up)'
WITH s AS (SELECT row_number() OVER () AS n, * FROM dskv2_cutover(exempt_roles => '{}'))
SELECT step, count(*) AS rows, bool_and(ok) AS ok FROM s GROUP BY step ORDER BY min(n);
\echo '=== After the switch, legacy writes are refused (25006); sign-ups still reach V2 users'
\set ON_ERROR_STOP 0
UPDATE public.products SET price = 1 WHERE id = '00000000-0000-4000-8000-00000000de01';
\set ON_ERROR_STOP 1
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-00000000de02', 'Apres.Bascule@Example.com', now());
SELECT id, email, role FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-00000000de02';
