-- pgTAP: unknown legacy columns with a secret-like name (docs/mapping.md,
-- "Unknown columns"): they go to <target>_private.legacy_secrets, readable by
-- the owner only, never to legacy, the quarantine's row_data, verify_diffs or
-- admin_logs; the migration, live sync (insert, update, delete, catch-up) and
-- the verification keep them in step; the audit redacts secret-like keys at
-- any depth of a jsonb value.
\ir legacy_setup.psql
SELECT plan(41);
ALTER TABLE public.profiles ADD COLUMN openai_api_key text, ADD COLUMN website text;
ALTER TABLE public.products ADD COLUMN download_token text;
ALTER TABLE public.tags ADD COLUMN secret_note text;
SELECT count(*) FROM dskv2_fixture.generate('S');
UPDATE public.profiles SET openai_api_key = 'sk-live-' || id, website = 'https://example.org/' || id
 WHERE id IN (SELECT id FROM public.profiles ORDER BY id LIMIT 20);
UPDATE public.products SET download_token = 'dl-tok-' || id WHERE id IN (SELECT id FROM public.products ORDER BY id LIMIT 10);
UPDATE public.tags SET secret_note = 'tag-secret-' || id WHERE id IN (SELECT id FROM public.tags ORDER BY id LIMIT 10);
-- A product the mapping rejects (negative price), with a secret of its own.
INSERT INTO public.products (id, title, price, is_published, download_token)
VALUES ('00000000-0000-4000-8000-00000000f001', 'Pack Négatif', -1, true, 'dl-tok-rejected');

-- The dry run names them and where they go.
SELECT is((SELECT kind FROM dskv2_source_drift('auth.users', 'public') WHERE column_name = 'openai_api_key'), 'unknown_secret',
          'drift: a secret-like unknown column is unknown_secret');
SELECT is((SELECT kind FROM dskv2_source_drift('auth.users', 'public') WHERE column_name = 'website'), 'unknown',
          '... another one stays unknown');
SELECT ok((SELECT 'profiles.openai_api_key (20 non-NULL, secret-like: kept in dropskills_v2_private.legacy_secrets)' = ANY (unmapped_columns)
             FROM dskv2_plan() WHERE source_table = 'auth.users'),
          'dskv2_plan lists the secret-like column and where it is kept');
SELECT ok((SELECT 'profiles.website (20 non-NULL)' = ANY (unmapped_columns) FROM dskv2_plan() WHERE source_table = 'auth.users'),
          '... and the other one as before');
SELECT ok((SELECT notes LIKE '%secret-like unmapped columns are kept in dropskills_v2_private.legacy_secrets (owner only)%'
             FROM dskv2_plan() WHERE source_table = 'products'),
          '... its notes say so');

SELECT count(*) FROM dskv2_migrate_all();

-- Never in legacy, always in legacy_secrets.
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE legacy ? 'openai_api_key'), 0,
          'no users.legacy holds the secret-like column');
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE legacy ? 'website'),
          (SELECT count(*)::int FROM public.profiles p JOIN dropskills_v2.users u ON u.id = p.id WHERE p.website IS NOT NULL),
          '... the other unknown column is there');
SELECT is((SELECT count(*)::int FROM dropskills_v2.packs WHERE legacy ? 'download_token'), 0, 'no packs.legacy holds download_token');
SELECT is((SELECT count(*)::int FROM dropskills_v2.pack_tags WHERE legacy ? 'secret_note'), 0, 'no pack_tags.legacy holds secret_note');
SELECT is((SELECT count(*)::int FROM public.profiles p JOIN dropskills_v2_private.legacy_secrets s
             ON s.table_name = 'profiles' AND s.key = p.id::text AND s.column_name = 'openai_api_key'
            WHERE s.value = to_jsonb(p.openai_api_key)),
          (SELECT count(*)::int FROM public.profiles p JOIN dropskills_v2.users u ON u.id = p.id WHERE p.openai_api_key IS NOT NULL),
          'legacy_secrets holds each migrated profile''s value, keyed by the legacy key');
SELECT set_eq($$SELECT key, value FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'products'$$,
              $$SELECT p.id::text, to_jsonb(p.download_token) FROM public.products p JOIN dropskills_v2.packs v ON v.id = p.id
                 WHERE p.download_token IS NOT NULL$$,
              '... each migrated product''s (a rejected one has none)');
SELECT is((SELECT count(*)::int FROM public.tags t JOIN dropskills_v2_private.legacy_secrets s
             ON s.table_name = 'tags' AND s.key = t.id::text AND s.column_name = 'secret_note'
            WHERE s.value = to_jsonb(t.secret_note)),
          (SELECT count(*)::int FROM public.tags t WHERE t.secret_note IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM dropskills_v2.migration_rejects r WHERE r.source_table = 'tags' AND r.source_key = t.id::text)),
          '... each tag''s, merged ones included');

-- The quarantine shows them redacted.
SELECT is((SELECT row_data ->> 'download_token' FROM dropskills_v2.migration_rejects
            WHERE source_table = 'products' AND source_key = '00000000-0000-4000-8000-00000000f001'), '[redacted]',
          'the quarantined row shows the secret-like column as [redacted]');
SELECT is((SELECT row_data ->> 'title' FROM dropskills_v2.migration_rejects
            WHERE source_table = 'products' AND source_key = '00000000-0000-4000-8000-00000000f001'), 'Pack Négatif',
          '... and the rest of the row as it is');
SELECT is((SELECT count(*)::int FROM dropskills_v2.migration_rejects WHERE row_data::text LIKE '%dl-tok-%'
              OR row_data::text LIKE '%sk-live-%'), 0, 'no secret value anywhere in the quarantine');
SELECT is((SELECT count(*)::int FROM dropskills_v2.admin_logs
            WHERE concat(old_data, new_data, details, legacy)::text ~ '(sk-live-|dl-tok-|tag-secret-)'), 0,
          'nor in admin_logs');

-- Readable by the owner only.
SELECT ok(NOT has_table_privilege(r, 'dropskills_v2_private.legacy_secrets', 'SELECT, INSERT, UPDATE, DELETE'),
          'legacy_secrets: no privilege for ' || r)
  FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r;
SELECT is((SELECT relrowsecurity FROM pg_class WHERE oid = 'dropskills_v2_private.legacy_secrets'::regclass), true,
          '... row level security on');
SELECT is((SELECT count(*)::int FROM pg_policy WHERE polrelid = 'dropskills_v2_private.legacy_secrets'::regclass), 0,
          '... and no policy');
SELECT is((SELECT relowner FROM pg_class WHERE oid = 'dropskills_v2_private.legacy_secrets'::regclass),
          (SELECT nspowner FROM pg_namespace WHERE nspname = 'dropskills_v2'), '... owned by the target''s owner');
SELECT is((SELECT count(*)::int FROM dropskills_v2.shape_steps WHERE step = 5 AND name = 'legacy_secrets'), 1,
          'shape step 5 is recorded');

-- The verification compares them, and records keys only.
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, 'verification passes');
SAVEPOINT tamper;
UPDATE dropskills_v2_private.legacy_secrets SET value = '"sk-tampered"'
 WHERE (table_name, key) = (SELECT 'profiles', min(key) FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'profiles');
SELECT set_eq($$SELECT check_name, table_name FROM dskv2_verify_integrity() WHERE NOT ok$$,
              $$VALUES ('content_checksum', 'users')$$, 'a changed secret value fails content_checksum on users');
SELECT is((SELECT count(*)::int FROM dropskills_v2.verify_diffs WHERE concat_ws(' ', verify_diffs.*)::text LIKE '%sk-%'), 0,
          '... and verify_diffs holds no value of it');
ROLLBACK TO SAVEPOINT tamper;

-- Live sync keeps them in step.
SELECT lives_ok($$SELECT dskv2_sync_enable()$$, 'live sync turns on');
SELECT min(p.id::text) AS profile_id FROM public.profiles p JOIN dropskills_v2.users u ON u.id = p.id WHERE p.openai_api_key IS NOT NULL \gset
UPDATE public.profiles SET openai_api_key = 'sk-live-rotated' WHERE id = :'profile_id';
SELECT is((SELECT value FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'profiles' AND key = :'profile_id'),
          '"sk-live-rotated"'::jsonb, 'a change of the secret alone reaches legacy_secrets');
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE legacy::text LIKE '%sk-live-rotated%'), 0, '... and not legacy');
UPDATE public.profiles SET openai_api_key = NULL WHERE id = :'profile_id';
SELECT is((SELECT count(*)::int FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'profiles' AND key = :'profile_id'), 0,
          'a secret set to NULL leaves legacy_secrets');
INSERT INTO public.products (id, title, price, is_published, download_token)
VALUES ('00000000-0000-4000-8000-00000000f002', 'Pack Secret', 5, true, 'dl-tok-new');
SELECT is((SELECT value FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'products'
              AND key = '00000000-0000-4000-8000-00000000f002'), '"dl-tok-new"'::jsonb, 'a new product''s secret is kept at once');
SELECT is((SELECT count(*)::int FROM dropskills_v2.packs WHERE id = '00000000-0000-4000-8000-00000000f002'), 1, '... with its pack');
DELETE FROM public.products WHERE id = '00000000-0000-4000-8000-00000000f002';
SELECT is((SELECT count(*)::int FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'products'
              AND key = '00000000-0000-4000-8000-00000000f002'), 0, 'a deleted product takes its secret along');
SELECT min(t.id) AS tag_id FROM public.tags t JOIN dropskills_v2_private.legacy_secrets s ON s.table_name = 'tags' AND s.key = t.id::text \gset
UPDATE public.tags SET secret_note = 'tag-secret-changed' WHERE id = :tag_id;
SELECT is((SELECT value FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'tags' AND key = :'tag_id'),
          '"tag-secret-changed"'::jsonb, 'a merging mapping''s secret follows a change');
DELETE FROM public.tags WHERE id = :tag_id;
SELECT is((SELECT count(*)::int FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'tags' AND key = :'tag_id'), 0,
          '... and a delete');
-- Changed while sync was off: the catch-up brings it in line.
SELECT lives_ok($$SELECT dskv2_sync_disable()$$, 'live sync turns off');
SELECT min(p.id::text) AS other_id FROM public.profiles p JOIN dropskills_v2.users u ON u.id = p.id WHERE p.openai_api_key IS NOT NULL \gset
UPDATE public.profiles SET openai_api_key = 'sk-live-while-off' WHERE id = :'other_id';
SELECT lives_ok($$SELECT dskv2_sync_enable()$$, 'live sync turns on again');
SELECT is((SELECT value FROM dropskills_v2_private.legacy_secrets WHERE table_name = 'profiles' AND key = :'other_id'),
          '"sk-live-while-off"'::jsonb, 'the catch-up brings a secret changed meanwhile');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, 'verification passes after sync');

-- The audit redacts secret-like keys at any depth of a jsonb value.
UPDATE dropskills_v2.users
   SET legacy = '{"plain": 1, "nested": {"api_key": "nested-leak", "deeper": [{"password": {"x": "deep-leak"}}]}}'
 WHERE id = :'profile_id';
SELECT is((SELECT new_data -> 'legacy' FROM dropskills_v2.admin_logs
            WHERE table_name = 'users' AND record_id = :'profile_id' AND action = 'UPDATE' ORDER BY id DESC LIMIT 1),
          '{"plain": 1, "nested": {"api_key": "[redacted]", "deeper": [{"password": "[redacted]"}]}}'::jsonb,
          'admin_logs redacts nested secret-like keys, keeps the rest');
SELECT is((SELECT count(*)::int FROM dropskills_v2.admin_logs WHERE concat(old_data, new_data)::text ~ '(nested-leak|deep-leak)'), 0,
          '... no value of them anywhere in the log');

SELECT * FROM finish();
ROLLBACK;
