-- pgTAP: docs/security.md, "The role matrix", on a migrated database. The role matrix (every V2 table x
-- anon / authenticated owner / authenticated other / admin / service_role x
-- SELECT / INSERT / UPDATE / DELETE, each cell allowed or denied as the spec
-- says), `select *` for every role that reads a table (no column grants:
-- hidden values have tables of their own), dskv2_pack_file_url, privilege-escalation
-- attempts, and a catalogue check of what dskv2_create_schema creates.
\ir legacy_setup.psql
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

-- The cast: three V2 users (one made admin) and their data.
SELECT id AS owner_id FROM dropskills_v2.users WHERE role = 'user' ORDER BY id LIMIT 1 \gset
SELECT id AS other_id FROM dropskills_v2.users WHERE role = 'user' ORDER BY id OFFSET 1 LIMIT 1 \gset
SELECT id AS admin_id FROM dropskills_v2.users WHERE role = 'user' ORDER BY id OFFSET 2 LIMIT 1 \gset
UPDATE dropskills_v2.users SET role = 'admin' WHERE id = :'admin_id';
-- An auth user with no V2 row (a rejected one), for inserts into users.
SELECT a.id AS spare_auth_id FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.users u WHERE u.id = a.id)
 ORDER BY a.id LIMIT 1 \gset
SELECT p.id AS pub_pack FROM dropskills_v2.packs p JOIN dropskills_v2.pack_files f ON f.pack_id = p.id
 WHERE p.status = 'published' AND NOT p.is_premium AND f.file_url IS NOT NULL ORDER BY p.id LIMIT 1 \gset
SELECT p.id AS premium_pack FROM dropskills_v2.packs p JOIN dropskills_v2.pack_files f ON f.pack_id = p.id
 WHERE p.status = 'published' AND p.is_premium AND f.file_url IS NOT NULL ORDER BY p.id LIMIT 1 \gset
-- A pack the application made in V2, without its pack_files row yet.
INSERT INTO dropskills_v2.packs (id, slug, title, price, status)
VALUES ('00000000-0000-4000-8000-00000000f11e', 'sans-fichier', 'Sans fichier', 1, 'published');
SELECT id AS draft_pack FROM dropskills_v2.packs WHERE status <> 'published' ORDER BY id LIMIT 1 \gset
INSERT INTO dropskills_v2.favorites (user_id, pack_id) VALUES (:'owner_id', :'pub_pack') ON CONFLICT DO NOTHING;
INSERT INTO dropskills_v2.user_packs (user_id, pack_id) VALUES (:'owner_id', :'premium_pack');
INSERT INTO dropskills_v2.ai_tools (slug, name, daily_quota) VALUES ('resume', 'Résumé', NULL), ('vide', 'Sans usage', NULL);
INSERT INTO dropskills_v2.ai_tool_secrets (tool_id, config)
SELECT id, '{"api_key": "sk"}' FROM dropskills_v2.ai_tools WHERE slug = 'resume';
INSERT INTO dropskills_v2.ai_tools (slug, name, is_active) VALUES ('retire', 'Retiré', false);
SELECT p.id AS nostat_pack FROM dropskills_v2.packs p WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.pack_stats s WHERE s.pack_id = p.id)
 ORDER BY p.id LIMIT 1 \gset
SELECT dskv2_track_ai_usage('resume', :'owner_id', 1, 1) AS usage_id \gset
INSERT INTO dropskills_v2.samples (pack_id, title, url, type) VALUES (:'pub_pack', 'Extrait', 'https://x.fr/a.pdf', 'pdf');
INSERT INTO dropskills_v2.pack_stats (pack_id) VALUES (:'pub_pack') ON CONFLICT DO NOTHING;
INSERT INTO dropskills_v2.trending_ideas (title) VALUES ('Idée');

-- attempt(WHO, SQL): runs SQL as WHO (anon, owner, other, admin, service)
-- the way PostgREST does (SET ROLE + request.jwt.claims), then undoes it.
-- 'allowed' when it returned or touched rows; 'denied' when refused (42501)
-- or when row level security left it nothing; anything else is reported.
CREATE FUNCTION pg_temp.attempt(who text, sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    st text;
    msg text;
    sub text := CASE who WHEN 'owner' THEN current_setting('matrix.owner') WHEN 'other' THEN current_setting('matrix.other')
                         WHEN 'admin' THEN current_setting('matrix.admin') END;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', CASE who WHEN 'anon' THEN 'anon' WHEN 'service' THEN 'service_role'
                                                     ELSE 'authenticated' END);
        PERFORM set_config('request.jwt.claims',
            CASE WHEN sub IS NULL THEN json_build_object('role', CASE who WHEN 'anon' THEN 'anon' ELSE 'service_role' END)
                 ELSE json_build_object('sub', sub, 'role', 'authenticated') END::text, true);
        IF sql ~* E'^\\s*select' THEN
            EXECUTE sql INTO n;
        ELSE
            EXECUTE sql;
            GET DIAGNOSTICS n = ROW_COUNT;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'rows:' || n;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    IF st = 'P0001' AND msg LIKE 'rows:%' THEN
        RETURN CASE WHEN substr(msg, 6)::bigint > 0 THEN 'allowed' ELSE 'denied' END;
    ELSIF st = '42501' THEN
        RETURN 'denied';
    END IF;
    RETURN 'error ' || st || ': ' || msg;
END $$;
SELECT set_config('matrix.owner', :'owner_id', false) IS NOT NULL AS o, set_config('matrix.other', :'other_id', false) IS NOT NULL AS t,
       set_config('matrix.admin', :'admin_id', false) IS NOT NULL AS a;

-- Per table: the probe statements (on the owner's rows, or a published pack's)
-- and the expected rights per role, as SIUD letters ('-' = denied).
CREATE TEMP TABLE probes (tbl text PRIMARY KEY, sel text, ins text, upd text, del text,
                          anon text, owner text, other text, admin text, service text);
INSERT INTO probes VALUES
('packs', format($$SELECT count(*) FROM dropskills_v2.packs WHERE id = %L$$, :'pub_pack'),
  $$INSERT INTO dropskills_v2.packs (id, slug, title, price, status) VALUES (gen_random_uuid(), 'matrice', 'M', 1, 'draft')$$,
  format($$UPDATE dropskills_v2.packs SET title = title || '!' WHERE id = %L$$, :'pub_pack'),
  format($$DELETE FROM dropskills_v2.packs WHERE id = %L$$, :'pub_pack'),
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('categories', $$SELECT count(*) FROM dropskills_v2.categories$$,
  $$INSERT INTO dropskills_v2.categories (name, slug) VALUES ('M', 'matrice')$$,
  $$UPDATE dropskills_v2.categories SET name = name || '!' WHERE id = (SELECT min(id) FROM dropskills_v2.categories)$$,
  $$DELETE FROM dropskills_v2.categories WHERE id = (SELECT min(id) FROM dropskills_v2.categories)$$,
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('tags', $$SELECT count(*) FROM dropskills_v2.tags$$,
  $$INSERT INTO dropskills_v2.tags (name, slug) VALUES ('M', 'matrice')$$,
  $$UPDATE dropskills_v2.tags SET name = name || '!' WHERE id = (SELECT min(id) FROM dropskills_v2.tags)$$,
  $$DELETE FROM dropskills_v2.tags WHERE id = (SELECT min(id) FROM dropskills_v2.tags)$$,
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('pack_tags', $$SELECT count(*) FROM dropskills_v2.pack_tags$$,
  format($$INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id)
           SELECT %L, t.id FROM dropskills_v2.tags t WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.pack_tags x
            WHERE x.pack_id = %L AND x.tag_id = t.id) ORDER BY t.id LIMIT 1$$, :'pub_pack', :'pub_pack'),
  $$UPDATE dropskills_v2.pack_tags SET legacy = legacy WHERE (pack_id, tag_id) = (SELECT pack_id, tag_id FROM dropskills_v2.pack_tags ORDER BY 1, 2 LIMIT 1)$$,
  $$DELETE FROM dropskills_v2.pack_tags WHERE (pack_id, tag_id) = (SELECT pack_id, tag_id FROM dropskills_v2.pack_tags ORDER BY 1, 2 LIMIT 1)$$,
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('samples', format($$SELECT count(*) FROM dropskills_v2.samples WHERE pack_id = %L$$, :'pub_pack'),
  format($$INSERT INTO dropskills_v2.samples (pack_id, title, url, type) VALUES (%L, 'M', 'https://x.fr/m.pdf', 'pdf')$$, :'pub_pack'),
  format($$UPDATE dropskills_v2.samples SET title = title || '!' WHERE pack_id = %L$$, :'pub_pack'),
  format($$DELETE FROM dropskills_v2.samples WHERE pack_id = %L$$, :'pub_pack'),
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('pack_stats', format($$SELECT count(*) FROM dropskills_v2.pack_stats WHERE pack_id = %L$$, :'pub_pack'),
  format($$INSERT INTO dropskills_v2.pack_stats (pack_id) VALUES (%L)$$, :'nostat_pack'),
  format($$UPDATE dropskills_v2.pack_stats SET views = views + 1 WHERE pack_id = %L$$, :'pub_pack'),
  format($$DELETE FROM dropskills_v2.pack_stats WHERE pack_id = %L$$, :'pub_pack'),
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('users', format($$SELECT count(*) FROM dropskills_v2.users WHERE id = %L$$, :'owner_id'),
  format($$INSERT INTO dropskills_v2.users (id, email) VALUES (%L, 'nouveau@exemple.fr')$$, :'spare_auth_id'),
  format($$UPDATE dropskills_v2.users SET full_name = 'Renommé' WHERE id = %L$$, :'owner_id'),
  format($$DELETE FROM dropskills_v2.users WHERE id = %L$$, :'owner_id'),
  '----', 'S-U-', '----', 'SIUD', 'SIUD'),
('favorites', format($$SELECT count(*) FROM dropskills_v2.favorites WHERE user_id = %L$$, :'owner_id'),
  format($$INSERT INTO dropskills_v2.favorites (user_id, pack_id) VALUES (%L, %L)$$, :'owner_id', :'premium_pack'),
  format($$UPDATE dropskills_v2.favorites SET created_at = now() WHERE user_id = %L$$, :'owner_id'),
  format($$DELETE FROM dropskills_v2.favorites WHERE user_id = %L$$, :'owner_id'),
  '----', 'SI-D', '----', 'S---', 'SIUD'),
('user_packs', format($$SELECT count(*) FROM dropskills_v2.user_packs WHERE user_id = %L$$, :'owner_id'),
  format($$INSERT INTO dropskills_v2.user_packs (user_id, pack_id) VALUES (%L, %L)$$, :'owner_id', :'pub_pack'),
  format($$UPDATE dropskills_v2.user_packs SET progress = 50 WHERE user_id = %L$$, :'owner_id'),
  format($$DELETE FROM dropskills_v2.user_packs WHERE user_id = %L$$, :'owner_id'),
  '----', 'S---', '----', 'SIUD', 'SIUD'),
('ai_tools', $$SELECT count(*) FROM dropskills_v2.ai_tools WHERE slug = 'resume'$$,
  $$INSERT INTO dropskills_v2.ai_tools (slug, name) VALUES ('matrice', 'M')$$,
  $$UPDATE dropskills_v2.ai_tools SET name = 'R' WHERE slug = 'resume'$$,
  $$DELETE FROM dropskills_v2.ai_tools WHERE slug = 'vide'$$,
  '----', 'S---', 'S---', 'SIUD', 'SIUD'),
('pack_files', format($$SELECT count(*) FROM dropskills_v2.pack_files WHERE pack_id = %L$$, :'pub_pack'),
  $$INSERT INTO dropskills_v2.pack_files (pack_id, file_url) VALUES ('00000000-0000-4000-8000-00000000f11e', 'https://x.fr/f.zip')$$,
  format($$UPDATE dropskills_v2.pack_files SET file_url = file_url || '?v=2' WHERE pack_id = %L$$, :'pub_pack'),
  format($$DELETE FROM dropskills_v2.pack_files WHERE pack_id = %L$$, :'pub_pack'),
  'S---', 'S---', 'S---', 'SIUD', 'SIUD'),
('ai_tool_secrets', $$SELECT count(*) FROM dropskills_v2.ai_tool_secrets$$,
  $$INSERT INTO dropskills_v2.ai_tool_secrets (tool_id, config) SELECT id, '{}' FROM dropskills_v2.ai_tools WHERE slug = 'vide'$$,
  $$UPDATE dropskills_v2.ai_tool_secrets SET config = config WHERE tool_id = (SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'resume')$$,
  $$DELETE FROM dropskills_v2.ai_tool_secrets WHERE tool_id = (SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'resume')$$,
  '----', '----', '----', '----', 'SIUD'),
('ai_usage', format($$SELECT count(*) FROM dropskills_v2.ai_usage WHERE user_id = %L$$, :'owner_id'),
  format($$INSERT INTO dropskills_v2.ai_usage (user_id, tool_id) SELECT %L, id FROM dropskills_v2.ai_tools WHERE slug = 'resume'$$, :'owner_id'),
  format($$UPDATE dropskills_v2.ai_usage SET cost = 0 WHERE user_id = %L$$, :'owner_id'),
  format($$DELETE FROM dropskills_v2.ai_usage WHERE user_id = %L$$, :'owner_id'),
  '----', 'S---', '----', 'S---', 'SIUD'),
('trending_ideas', $$SELECT count(*) FROM dropskills_v2.trending_ideas$$,
  $$INSERT INTO dropskills_v2.trending_ideas (title) VALUES ('M')$$,
  $$UPDATE dropskills_v2.trending_ideas SET title = title || '!' WHERE id = (SELECT min(id) FROM dropskills_v2.trending_ideas)$$,
  $$DELETE FROM dropskills_v2.trending_ideas WHERE id = (SELECT min(id) FROM dropskills_v2.trending_ideas)$$,
  '----', 'S---', 'S---', 'SIUD', 'SIUD'),
('admin_logs', $$SELECT count(*) FROM dropskills_v2.admin_logs$$,
  $$INSERT INTO dropskills_v2.admin_logs (action) VALUES ('forged')$$,
  $$UPDATE dropskills_v2.admin_logs SET action = 'erased' WHERE id = (SELECT min(id) FROM dropskills_v2.admin_logs)$$,
  $$DELETE FROM dropskills_v2.admin_logs WHERE id = (SELECT min(id) FROM dropskills_v2.admin_logs)$$,
  '----', '----', '----', 'S---', 'SI--');
INSERT INTO probes
SELECT b, format('SELECT count(*) FROM dropskills_v2.%I', b), i, u,
       format('DELETE FROM dropskills_v2.%I WHERE ctid = (SELECT min(ctid) FROM dropskills_v2.%I)', b, b),
       '----', '----', '----', 'S---', 'SIUD'
  FROM (VALUES ('migration_runs', $$INSERT INTO dropskills_v2.migration_runs (mode, status) VALUES ('atomic', 'completed')$$,
                $$UPDATE dropskills_v2.migration_runs SET error = 'x'$$),
               ('migration_rejects', $$INSERT INTO dropskills_v2.migration_rejects (source_table, source_key, reason) VALUES ('x', 'x', 'x')$$,
                $$UPDATE dropskills_v2.migration_rejects SET reason = reason$$),
               ('migration_state', $$INSERT INTO dropskills_v2.migration_state (source_table, target_table) VALUES ('x', 'x')$$,
                $$UPDATE dropskills_v2.migration_state SET rows_done = rows_done$$),
               ('migration_merges', $$INSERT INTO dropskills_v2.migration_merges (source_table, source_key, target_key) VALUES ('x', 'x', 'x')$$,
                $$UPDATE dropskills_v2.migration_merges SET target_key = target_key$$),
               ('verify_diffs', $$INSERT INTO dropskills_v2.verify_diffs (check_name, table_name, key) VALUES ('x', 'x', 'x')$$,
                $$UPDATE dropskills_v2.verify_diffs SET key = key$$),
               ('trigger_settings', $$INSERT INTO dropskills_v2.trigger_settings (kind, table_name) VALUES ('ai_usage', 'x')$$,
                $$UPDATE dropskills_v2.trigger_settings SET updated_at = now()$$),
               ('ai_usage_daily', $$INSERT INTO dropskills_v2.ai_usage_daily (tool_id, user_key, day, used) VALUES (0, gen_random_uuid(), current_date, 0)$$,
                $$UPDATE dropskills_v2.ai_usage_daily SET used = used$$)) AS x (b, i, u);
INSERT INTO dropskills_v2.verify_diffs (check_name, table_name, key) VALUES ('content_checksum', 'packs', 'k');

CREATE TEMP TABLE cells AS
SELECT p.tbl, r.who, o.op, o.n,
       CASE substr(CASE r.who WHEN 'anon' THEN p.anon WHEN 'owner' THEN p.owner WHEN 'other' THEN p.other
                              WHEN 'admin' THEN p.admin ELSE p.service END, o.n, 1)
            WHEN '-' THEN 'denied' ELSE 'allowed' END AS expected,
       CASE o.op WHEN 'SELECT' THEN p.sel WHEN 'INSERT' THEN p.ins WHEN 'UPDATE' THEN p.upd ELSE p.del END AS sql
  FROM probes p,
       (VALUES (1, 'anon'), (2, 'owner'), (3, 'other'), (4, 'admin'), (5, 'service')) AS r (k, who),
       (VALUES (1, 'SELECT'), (2, 'INSERT'), (3, 'UPDATE'), (4, 'DELETE')) AS o (n, op);

-- PostgREST's and supabase-js's default read: `select *`, for every role
-- that may read the table (a column grant would refuse it, 42501).
CREATE TEMP TABLE stars AS
SELECT c.tbl, c.who, c.expected,
       format('SELECT count(*) FROM (SELECT * FROM dropskills_v2.%I) s', c.tbl)
         || CASE WHEN c.sql ~ ' WHERE ' THEN ' WHERE ' || regexp_replace(c.sql, '^.* WHERE ', '') ELSE '' END AS sql
  FROM cells c WHERE c.op = 'SELECT';

SELECT plan((SELECT count(*)::int FROM cells) + (SELECT count(*)::int FROM stars) + 40);

-- The matrix: 22 tables x 5 roles x 4 commands.
SELECT is(pg_temp.attempt(c.who, c.sql), c.expected, format('%s %s %s: %s', c.who, c.op, c.tbl, c.expected))
  FROM cells c ORDER BY c.tbl, c.who, c.n;
SELECT is(pg_temp.attempt(s.who, s.sql), s.expected, format('%s select * from %s: %s', s.who, s.tbl, s.expected))
  FROM stars s ORDER BY s.tbl, s.who;

-- Unpublished packs and their samples stay hidden from the API, not from admins.
SELECT is(pg_temp.attempt('anon', format($$SELECT count(*) FROM dropskills_v2.packs WHERE id = %L$$, :'draft_pack')), 'denied',
          'anon does not see a draft pack');
SELECT is(pg_temp.attempt('owner', format($$SELECT count(*) FROM dropskills_v2.packs WHERE id = %L$$, :'draft_pack')), 'denied',
          'a user does not see a draft pack');
SELECT is(pg_temp.attempt('admin', format($$SELECT count(*) FROM dropskills_v2.packs WHERE id = %L$$, :'draft_pack')), 'allowed',
          'an admin sees a draft pack');
SELECT is(pg_temp.attempt('other', format($$SELECT count(*) FROM dropskills_v2.favorites WHERE user_id = %L$$, :'owner_id')), 'denied',
          'a user does not see another user''s favorites');
SELECT is(pg_temp.attempt('owner', $$SELECT count(*) FROM dropskills_v2.users$$), 'allowed', 'a user sees a users row ...');
SELECT is(pg_temp.attempt('owner', format($$SELECT count(*) FROM dropskills_v2.users WHERE id <> %L$$, :'owner_id')), 'denied',
          '... their own only');

-- Hidden values: in tables of their own, never behind a column grant.
SELECT is((SELECT array_agg(c.relname || '.' || a.attname ORDER BY 1) FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'dropskills_v2'::regnamespace AND a.attacl IS NOT NULL
              AND EXISTS (SELECT 1 FROM aclexplode(a.attacl) x WHERE x.privilege_type = 'SELECT')),
          NULL, 'no column-level SELECT grant in the target');
SELECT is((SELECT array_agg(table_name || '.' || column_name ORDER BY 1) FROM information_schema.columns
            WHERE table_schema = 'dropskills_v2' AND (table_name, column_name) IN (('packs', 'file_url'), ('ai_tools', 'config'))),
          NULL, 'packs has no file_url and ai_tools no config: select * on them shows nothing gated or secret');
SELECT is(pg_temp.attempt('owner', format($$SELECT count(*) FROM dropskills_v2.pack_files WHERE pack_id = %L$$, :'premium_pack')),
          'allowed', 'a user reads the pack_files row of a pack they have (a user_packs row)');
SELECT is(pg_temp.attempt('other', format($$SELECT count(*) FROM dropskills_v2.pack_files WHERE pack_id = %L$$, :'premium_pack')),
          'denied', '... another user does not, for a premium pack');
SELECT is(pg_temp.attempt('anon', format($$SELECT count(*) FROM dropskills_v2.pack_files WHERE pack_id = %L$$, :'premium_pack')),
          'denied', '... nor anon');
SELECT is(pg_temp.attempt('owner', $$SELECT count(*) FROM dropskills_v2.ai_tools WHERE NOT is_active$$), 'denied',
          'a user does not see inactive tools');

-- dskv2_pack_file_url: pack_files as its caller reads it.
CREATE FUNCTION pg_temp.url_as(who text, pack uuid) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; sub text := CASE who WHEN 'owner' THEN current_setting('matrix.owner') WHEN 'other' THEN current_setting('matrix.other')
                                     WHEN 'admin' THEN current_setting('matrix.admin') END;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', CASE who WHEN 'anon' THEN 'anon' ELSE 'authenticated' END);
    PERFORM set_config('request.jwt.claims', json_build_object('sub', sub, 'role', 'authenticated')::text, true);
    r := dskv2_pack_file_url(pack);
    RESET ROLE;
    PERFORM set_config('request.jwt.claims', '', true);
    RETURN r;
END $$;
SELECT is(pg_temp.url_as('anon', :'pub_pack'), (SELECT file_url FROM dropskills_v2.pack_files WHERE pack_id = :'pub_pack'),
          'dskv2_pack_file_url gives anyone the file of a free published pack');
SELECT is(pg_temp.url_as('other', :'premium_pack'), NULL, '... not a premium pack''s to a user who does not own it');
SELECT is(pg_temp.url_as('anon', :'premium_pack'), NULL, '... nor to anon');
SELECT is(pg_temp.url_as('owner', :'premium_pack'), (SELECT file_url FROM dropskills_v2.pack_files WHERE pack_id = :'premium_pack'),
          '... but to its owner (a user_packs row)');
SELECT is(pg_temp.url_as('admin', :'premium_pack'), (SELECT file_url FROM dropskills_v2.pack_files WHERE pack_id = :'premium_pack'),
          '... and to admins');
SELECT is(pg_temp.url_as('other', :'draft_pack'), NULL, '... and not a draft''s to a user');

-- Escalation attempts.
SELECT is(pg_temp.attempt('owner', format($$UPDATE dropskills_v2.users SET role = 'admin' WHERE id = %L$$, :'owner_id')), 'denied',
          'a user cannot promote themself');
SELECT is(pg_temp.attempt('owner', format($$UPDATE dropskills_v2.users SET subscription_status = 'active' WHERE id = %L$$, :'owner_id')),
          'denied', 'nor change their subscription');
SELECT is(pg_temp.attempt('owner', format($$INSERT INTO dropskills_v2.favorites (user_id, pack_id) VALUES (%L, %L)$$, :'other_id', :'premium_pack')),
          'denied', 'nor add a favorite in another user''s name');
SELECT is(pg_temp.attempt('owner', format($$UPDATE dropskills_v2.users SET full_name = 'x' WHERE id = %L$$, :'other_id')), 'denied',
          'nor rename another user');
SELECT is(pg_temp.attempt('anon', $$SELECT count(*) FROM dskv2_migrate_all()$$), 'denied', 'anon cannot run a migration');
SELECT is(pg_temp.attempt('owner', $$SELECT count(*) FROM dskv2_rollback('dropskills_v2', 'dropskills_v2')$$), 'denied',
          'a user cannot roll back');
SELECT is(pg_temp.attempt('owner', $$SELECT dskv2_track_ai_usage('resume', NULL, 1, 1)::int$$), 'denied',
          'a user cannot record AI usage directly');
SELECT throws_ok($$DELETE FROM dropskills_v2.admin_logs$$, '42501', NULL, 'admin_logs refuses DELETE even from its owner (guard)');
SELECT throws_ok($$TRUNCATE dropskills_v2.admin_logs$$, '42501', NULL, '... and TRUNCATE');
SELECT throws_ok($$UPDATE dropskills_v2.admin_logs SET action = 'x'$$, '42501', NULL, '... and UPDATE');

-- The catalogue: what dskv2_create_schema made satisfies the rules.
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'dropskills_v2'::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity),
          NULL, 'row level security is on for every V2 table');
SELECT is((SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = 'dropskills_v2'::regnamespace AND a.grantee = 0), 0::bigint,
          'nothing in the target schema is granted to PUBLIC');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text COLLATE "C") FROM pg_proc p
            WHERE p.prosecdef AND (has_function_privilege('anon', p.oid, 'EXECUTE') OR has_function_privilege('authenticated', p.oid, 'EXECUTE'))),
          ARRAY['dropskills_v2_private.is_admin()'],
          'the only SECURITY DEFINER function the API roles may call: the admin helper (authenticated)');
SELECT ok(NOT has_function_privilege('anon', 'dropskills_v2_private.is_admin()', 'EXECUTE')
          AND (SELECT proconfig FROM pg_proc WHERE oid = 'dropskills_v2_private.is_admin()'::regprocedure) = ARRAY['search_path=""'],
          'the admin helper pins search_path to '''' and is not executable by anon');
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
             JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' AND d.classid = 'pg_proc'::regclass
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
            WHERE p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
              AND p.prokind <> 'p'
              AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)),
          NULL, 'every SQL and PL/pgSQL function of the extension pins search_path = pg_catalog, pg_temp');
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
             JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' AND d.classid = 'pg_proc'::regclass
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
            WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c') AND p.proconfig IS NOT NULL),
          NULL, 'no C function has a SET clause');
SELECT is((SELECT array_agg(format('%s.%s', tablename, policyname) ORDER BY tablename, policyname) FROM pg_policies
            WHERE schemaname = 'dropskills_v2' AND (coalesce(qual, '') || coalesce(with_check, '')) ~ 'auth[.]uid[(][)]'
              AND (coalesce(qual, '') || coalesce(with_check, '')) !~ '[(][[:space:]]*SELECT auth[.]uid[(][)]'),
          NULL, 'every policy calls auth.uid() as (select auth.uid())');

-- API roles created after CREATE EXTENSION (the grant made then found none):
-- dskv2_create_schema grants them dskv2_pack_file_url.
REVOKE EXECUTE ON FUNCTION dskv2_pack_file_url(uuid, name) FROM anon, authenticated, service_role;
SELECT dskv2_create_schema();
SELECT ok(has_function_privilege('anon', 'dskv2_pack_file_url(uuid, name)', 'EXECUTE')
          AND has_function_privilege('authenticated', 'dskv2_pack_file_url(uuid, name)', 'EXECUTE')
          AND has_function_privilege('service_role', 'dskv2_pack_file_url(uuid, name)', 'EXECUTE'),
          'API roles that appear after CREATE EXTENSION get dskv2_pack_file_url from dskv2_create_schema');

-- A soft-deleted user (users.deleted_at set) is hidden from everyone but admins:
-- from itself too, for reading and for updating its own row.
UPDATE dropskills_v2.users SET deleted_at = now() WHERE id = :'other_id';
SELECT is(pg_temp.attempt('other', format('SELECT count(*) FROM dropskills_v2.users WHERE id = %L', :'other_id')), 'denied',
          'a soft-deleted user cannot read its own row');
SELECT is(pg_temp.attempt('other', format('UPDATE dropskills_v2.users SET full_name = ''x'' WHERE id = %L', :'other_id')),
          'denied', '... nor update it');
SELECT is(pg_temp.attempt('admin', format('SELECT count(*) FROM dropskills_v2.users WHERE id = %L', :'other_id')), 'allowed',
          '... while an admin reads it');
SELECT is(pg_temp.attempt('owner', format('SELECT count(*) FROM dropskills_v2.users WHERE id = %L', :'owner_id')), 'allowed',
          '... and a user not deleted reads its own');

SELECT * FROM finish();
ROLLBACK;
