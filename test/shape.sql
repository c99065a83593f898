-- pgTAP: target shape versions (docs/architecture.md, "Target shape
-- versions"). A new target records every shape step; dskv2_create_schema is
-- idempotent; a target at an older shape is refused by the migrations, live
-- sync and the switch (55000 naming dskv2_create_schema) while the dry run,
-- the verification and the live sync triggers keep working on its old shape;
-- dskv2_create_schema brings it up to date. A target made before targets
-- recorded their shape (no shape_steps) is at shape 1.
\ir legacy_setup.psql
SELECT plan(39);
SELECT count(*) FROM dskv2_fixture.generate('S');

SELECT is((SELECT shape FROM dskv2_target_shape('dropskills_v2')), NULL::int, 'no target yet: no shape');
SELECT ok((SELECT current_shape FROM dskv2_target_shape('dropskills_v2')) >= 2, 'this version makes shape 2 or later');
SELECT current_shape AS current FROM dskv2_target_shape('dropskills_v2') \gset

SELECT count(*) FROM dskv2_migrate_all();
SELECT is((SELECT shape FROM dskv2_target_shape('dropskills_v2')), :current, 'a new target is at the current shape');
SELECT is((SELECT array_agg(step ORDER BY step) FROM dropskills_v2.shape_steps),
          (SELECT array_agg(s ORDER BY s) FROM generate_series(1, :current) s),
          '... and records every step');
SELECT is((SELECT count(*)::int FROM dskv2_target_steps('dropskills_v2') WHERE kind = 'table'),
          (SELECT count(*)::int FROM dskv2_catalog_tables()), 'the steps create each catalogue table once');
SELECT is((SELECT count(*)::int FROM pg_class WHERE relnamespace = 'dropskills_v2'::regnamespace AND relkind = 'r'),
          (SELECT count(*)::int FROM dskv2_catalog_tables()), '... and the target has exactly those tables');
SELECT ok((SELECT bool_and(statement LIKE '%dropskills_v2.%' OR statement LIKE '%dropskills_v2_private.%')
             FROM dskv2_target_steps('dropskills_v2')),
          'every step statement names the target or its private schema, quoted by the server');
SELECT ok((SELECT bool_and(statement LIKE '%"odd ""name""".%' OR statement LIKE '%"odd ""name""_private".%')
             FROM dskv2_target_steps('odd "name"')),
          '... an odd name too');

SELECT md5(string_agg(row_to_json(x)::text, ',' ORDER BY x.step)) AS steps_before FROM dropskills_v2.shape_steps x \gset
SELECT lives_ok($$SELECT dskv2_create_schema()$$, 'dskv2_create_schema on a current target');
SELECT is((SELECT md5(string_agg(row_to_json(x)::text, ',' ORDER BY x.step)) FROM dropskills_v2.shape_steps x),
          :'steps_before', '... changes nothing: idempotent');

-- A target physically before step 4: packs.file_url and ai_tools.config on their rows again.
CREATE FUNCTION pg_temp.before_step_4() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ALTER TABLE dropskills_v2.packs ADD COLUMN file_url text;
    UPDATE dropskills_v2.packs p SET file_url = f.file_url FROM dropskills_v2.pack_files f WHERE f.pack_id = p.id;
    DROP TABLE dropskills_v2.pack_files;
    ALTER TABLE dropskills_v2.ai_tools ADD COLUMN config jsonb NOT NULL DEFAULT '{}';
    UPDATE dropskills_v2.ai_tools t SET config = s.config FROM dropskills_v2.ai_tool_secrets s WHERE s.tool_id = t.id;
    DROP TABLE dropskills_v2.ai_tool_secrets;
END $$;
SELECT md5(string_agg(f.pack_id || ':' || COALESCE(f.file_url, '-'), ',' ORDER BY f.pack_id)) AS files_before
  FROM dropskills_v2.pack_files f WHERE f.pack_id <> (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1) \gset
INSERT INTO dropskills_v2.ai_tools (slug, name) VALUES ('shape-tool', 'Shape tool');
INSERT INTO dropskills_v2.ai_tool_secrets (tool_id, config)
SELECT id, '{"api_key": "sk-shape"}' FROM dropskills_v2.ai_tools WHERE slug = 'shape-tool';

-- An older shape: the target forgets its last steps, as a target of the previous release would be.
SELECT lives_ok($$SELECT dskv2_sync_enable()$$, 'live sync on before the target falls behind');
DELETE FROM dropskills_v2.shape_steps WHERE step > 1;
SELECT pg_temp.before_step_4();
SELECT is((SELECT shape FROM dskv2_target_shape('dropskills_v2')), 1, 'the target is at shape 1');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_all()$$, '55000',
                 format('dskv2: target schema "dropskills_v2" has shape 1, this version of dropskills_v2 needs shape %s', :current),
                 'an older shape: dskv2_migrate_all refuses (55000)');
CREATE FUNCTION pg_temp.hint_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RETURN h;
END $$;
SELECT is(pg_temp.hint_of($$SELECT * FROM dskv2_migrate_all()$$),
          'Bring it up to date first: SELECT dskv2_create_schema(''dropskills_v2'');', '... naming dskv2_create_schema');
SELECT throws_ok($$SELECT * FROM dskv2_migrate_table('categories')$$, '55000', NULL, '... dskv2_migrate_table too');
SELECT throws_ok($$SELECT * FROM dskv2_retry_rejects()$$, '55000', NULL, '... dskv2_retry_rejects too');
SELECT throws_ok($$SELECT dskv2_sync_enable()$$, '55000', NULL, '... live sync too');
SELECT throws_ok($$SELECT * FROM dskv2_cutover()$$, '55000', NULL, '... and the switch');
SELECT lives_ok($$SELECT * FROM dskv2_plan()$$, 'the dry run works on the older shape');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, '... the verification too');
UPDATE public.products SET title = 'Titre après la mise à jour' WHERE id = (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1);
SELECT is((SELECT count(*)::int FROM dropskills_v2.packs WHERE title = 'Titre après la mise à jour'), 1,
          '... and live sync follows a legacy change on it');
UPDATE public.products SET file_url = 'https://files.example.test/after-shape.pdf'
 WHERE id = (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1);
SELECT is((SELECT count(*)::int FROM dropskills_v2.packs WHERE file_url = 'https://files.example.test/after-shape.pdf'), 1,
          '... a file URL too, on the pack row of the older shape');

-- A target physically at shape 2: without users.deleted_at (step 3), its own-row
-- policies as they were. Live sync writes its users without the column;
-- dskv2_create_schema adds it and changes the policies.
SELECT lives_ok($$SELECT dskv2_create_schema()$$, 'back to the current shape');
SELECT hasnt_column('dropskills_v2', 'packs', 'file_url', 'step 4: packs.file_url is gone');
SELECT hasnt_column('dropskills_v2', 'ai_tools', 'config', '... and ai_tools.config');
SELECT is((SELECT file_url FROM dropskills_v2.pack_files
            WHERE pack_id = (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1)),
          'https://files.example.test/after-shape.pdf', '... the file URL live sync wrote on the old shape is in pack_files');
SELECT is((SELECT md5(string_agg(f.pack_id || ':' || COALESCE(f.file_url, '-'), ',' ORDER BY f.pack_id))
             FROM dropskills_v2.pack_files f
            WHERE f.pack_id <> (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1)),
          :'files_before', '... and every other pack''s file URL, one row per pack');
SELECT is((SELECT s.config FROM dropskills_v2.ai_tool_secrets s JOIN dropskills_v2.ai_tools t ON t.id = s.tool_id
            WHERE t.slug = 'shape-tool'), '{"api_key": "sk-shape"}'::jsonb, '... and each tool''s configuration in ai_tool_secrets');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, '... and the target verifies');
-- A sign-up first: this session's live sync keeps statements for the current shape.
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000e0', 'forme-3@example.test', now());
DELETE FROM dropskills_v2.shape_steps WHERE step > 2;
SELECT pg_temp.before_step_4();
DROP POLICY users_read_own ON dropskills_v2.users;
DROP POLICY users_update_own ON dropskills_v2.users;
ALTER TABLE dropskills_v2.users DROP COLUMN deleted_at;
CREATE POLICY users_update_own ON dropskills_v2.users FOR UPDATE TO authenticated
    USING (id = (SELECT auth.uid())) WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY users_read_own ON dropskills_v2.users FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));
INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000e1', 'forme-2@example.test', now());
SELECT is((SELECT count(*)::int FROM dropskills_v2.users WHERE id IN ('00000000-0000-4000-8000-0000000000e0',
                                                                      '00000000-0000-4000-8000-0000000000e1')), 2,
          'live sync writes a sign-up into a target at shape 2 (without users.deleted_at), its statements made again');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, '... which verifies on its shape');
SELECT lives_ok($$SELECT dskv2_create_schema()$$, 'dskv2_create_schema runs step 3 on it');
SELECT has_column('dropskills_v2', 'users', 'deleted_at', '... which adds users.deleted_at');
SELECT ok((SELECT qual FROM pg_policies WHERE schemaname = 'dropskills_v2' AND policyname = 'users_read_own') ~ 'deleted_at IS NULL',
          '... and hides soft-deleted users from their own-row policy');
SELECT is((SELECT count(*)::int FROM dskv2_verify_integrity() WHERE NOT ok), 0, '... and the target verifies at the current shape');

-- A target made before targets recorded their shape.
DROP TABLE dropskills_v2.shape_steps;
SELECT pg_temp.before_step_4();
SELECT is((SELECT shape FROM dskv2_target_shape('dropskills_v2')), 1, 'a target without shape_steps is at shape 1');
SELECT lives_ok($$SELECT dskv2_create_schema()$$, 'dskv2_create_schema brings it up to date');
SELECT is((SELECT shape FROM dskv2_target_shape('dropskills_v2')), :current, '... to the current shape');
SELECT lives_ok($$SELECT * FROM dskv2_migrate_all()$$, '... and the migrations run again');

SELECT * FROM finish();
ROLLBACK;
