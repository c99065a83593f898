-- pgTAP: the native audit trigger (docs/triggers.md, "Audit trail"): every admin_logs field, diff-only
-- updates, no-op and ignored-column updates, redaction, claims (valid,
-- missing, malformed), an API role without rights on admin_logs, a SECURITY
-- DEFINER function under a hostile search_path, TRUNCATE, the migration's
-- suppression and its one row per table, enable/disable and re-attachment.
\ir legacy_setup.psql
SELECT plan(83);
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

CREATE FUNCTION pg_temp.logs() RETURNS SETOF dropskills_v2.admin_logs LANGUAGE sql AS $$
    SELECT * FROM dropskills_v2.admin_logs WHERE source = 'trigger' ORDER BY id $$;
CREATE FUNCTION pg_temp.last_log() RETURNS dropskills_v2.admin_logs LANGUAGE sql AS $$
    SELECT * FROM dropskills_v2.admin_logs WHERE source = 'trigger' ORDER BY id DESC LIMIT 1 $$;
SELECT id AS pack_id, price AS pack_price FROM dropskills_v2.packs ORDER BY id LIMIT 1 \gset

-- The migration wrote no per-row audit, and one `migration` row per table.
SELECT is((SELECT count(*) FROM pg_temp.logs()), 0::bigint, 'the migration writes no per-row audit rows');
SELECT is((SELECT array_agg(table_name ORDER BY id) FROM dropskills_v2.admin_logs WHERE source = 'migration'),
          ARRAY['users', 'categories', 'packs', 'samples', 'pack_tags', 'favorites', 'pack_stats', 'trending_ideas',
                'admin_logs'],
          'one migration row per table, in report order');
SELECT ok((SELECT bool_and(a.id > (SELECT max(l.id) FROM dropskills_v2.admin_logs l WHERE l.source = 'legacy'))
             FROM dropskills_v2.admin_logs a WHERE a.source = 'migration'),
          '... written after the legacy admin_logs rows');
SELECT is((SELECT (details->>'rows_read')::bigint FROM dropskills_v2.admin_logs
            WHERE source = 'migration' AND table_name = 'packs'),
          (SELECT count(*) FROM public.products), '... with the run''s counters in details');
SELECT is((SELECT sum(rows_read) FROM dskv2_migrate_all()), 0::numeric, 'a re-run finds nothing to do');
SELECT is((SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'migration'), 9::bigint,
          '... and writes no migration row');
SELECT set_eq($$SELECT tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE tgname LIKE 'dskv2_audit%'$$,
              $$SELECT 'dropskills_v2.' || t || ' ' || n
                  FROM unnest(ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'ai_tools']) t,
                       unnest(ARRAY['dskv2_audit', 'dskv2_audit_truncate']) n$$,
              'the audit trigger is on the seven default tables');

-- UPDATE: only the changed columns; a no-op writes nothing.
UPDATE dropskills_v2.packs SET title = title, price = price WHERE id = :'pack_id';
SELECT is((SELECT count(*) FROM pg_temp.logs()), 0::bigint, 'a no-op UPDATE writes nothing');
UPDATE dropskills_v2.packs SET title = 'Nouveau titre', price = 12.50 WHERE id = :'pack_id';
SELECT is((SELECT count(*) FROM pg_temp.logs()), 1::bigint, 'an UPDATE writes one row');
SELECT is((pg_temp.last_log()).action, 'UPDATE', '... action UPDATE');
SELECT is((pg_temp.last_log()).table_name, 'packs', '... table_name is the bare V2 table name');
SELECT is((pg_temp.last_log()).record_id, :'pack_id', '... record_id is the primary key as text');
SELECT is((pg_temp.last_log()).new_data, '{"title": "Nouveau titre", "price": 12.50}'::jsonb,
          '... new_data holds only the changed columns');
SELECT is((pg_temp.last_log()).old_data ?& ARRAY['title', 'price'] AND (SELECT count(*) FROM jsonb_object_keys((pg_temp.last_log()).old_data)) = 2,
          true, '... and so does old_data');
SELECT is(((pg_temp.last_log()).old_data->>'price')::numeric, :'pack_price'::numeric, '... with the old values');
SELECT is((pg_temp.last_log()).txid, txid_current(), '... txid is the transaction''s id');
SELECT is((pg_temp.last_log()).source, 'trigger', '... source trigger');
SELECT is((pg_temp.last_log()).actor_id, NULL, '... no claims and no dskv2.actor: actor_id NULL');
SELECT is((pg_temp.last_log()).actor_role, current_user::text, '... actor_role is the session''s role');

-- INSERT and DELETE: the whole row; composite keys as a JSON array text.
INSERT INTO dropskills_v2.tags (name, slug) VALUES ('Zêta', 'zeta-audit') RETURNING id AS tag_id \gset
SELECT is((pg_temp.last_log()).action || ' ' || (pg_temp.last_log()).record_id, 'INSERT ' || :'tag_id', 'INSERT with its key');
SELECT is((pg_temp.last_log()).new_data, jsonb_build_object('id', :'tag_id'::int, 'name', 'Zêta', 'slug', 'zeta-audit',
                                                            'migration_run_id', NULL),
          '... new_data is the whole row, as to_jsonb writes it');
SELECT is((pg_temp.last_log()).old_data, NULL, '... old_data NULL');
INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id) VALUES (:'pack_id', :'tag_id');
DELETE FROM dropskills_v2.pack_tags WHERE pack_id = :'pack_id' AND tag_id = :'tag_id';
SELECT is((pg_temp.last_log()).record_id, format('["%s","%s"]', :'pack_id', :'tag_id'),
          'a composite key is a JSON array text');
SELECT is((pg_temp.last_log()).action, 'DELETE', '... DELETE');
SELECT is((pg_temp.last_log()).old_data->>'tag_id', :'tag_id', '... old_data is the deleted row');

-- Claims: PostgREST's request.jwt.claims, the older request.jwt.claim.sub, dskv2.actor.
SAVEPOINT c;
SET LOCAL request.jwt.claims = '{"sub": "8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b", "role": "authenticated", "aud": "authenticated"}';
UPDATE dropskills_v2.packs SET title = 'Par un utilisateur' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).actor_id, '8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b'::uuid, 'actor_id from the claims'' sub');
SELECT is((pg_temp.last_log()).actor_role, 'authenticated', 'actor_role from the claims'' role');
SET LOCAL request.jwt.claims = '{"sub": "not-a-uuid", "role": "anon"}';
SET LOCAL dskv2.actor = 'a1111111-1111-4111-8111-111111111111';
UPDATE dropskills_v2.packs SET title = 'Sub invalide' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).actor_id, 'a1111111-1111-4111-8111-111111111111'::uuid,
          'a sub that is not a uuid falls back to dskv2.actor');
SET LOCAL request.jwt.claims = '{"sub": "8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b", "role": ';
UPDATE dropskills_v2.packs SET title = 'Claims tronqués' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).actor_id, 'a1111111-1111-4111-8111-111111111111'::uuid,
          'malformed claims never raise: dskv2.actor is used');
SELECT is((pg_temp.last_log()).actor_role, current_user::text, '... and the session''s role');
SET LOCAL request.jwt.claims = '';
SET LOCAL request.jwt.claim.sub = 'b2222222-2222-4222-8222-222222222222';
UPDATE dropskills_v2.packs SET title = 'Ancien format' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).actor_id, 'b2222222-2222-4222-8222-222222222222'::uuid, 'request.jwt.claim.sub is read too');
SET LOCAL request.jwt.claim.sub = '';
SET LOCAL dskv2.actor = 'garbage';
UPDATE dropskills_v2.packs SET title = 'Personne' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).actor_id, NULL, 'nothing valid anywhere: actor_id NULL');
ROLLBACK TO SAVEPOINT c;

-- An API user, who cannot write admin_logs nor see its rows: editing
-- their own profile through the API succeeds, and the audit row is written.
SELECT id AS api_user FROM dropskills_v2.users WHERE role = 'user' ORDER BY id LIMIT 1 \gset
SAVEPOINT r;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', json_build_object('sub', :'api_user', 'role', 'authenticated')::text, true) IS NOT NULL AS claims;
WITH u AS (UPDATE dropskills_v2.users SET full_name = 'Édité via l''API' WHERE id = :'api_user' RETURNING 1)
SELECT is((SELECT count(*) FROM u), 1::bigint, 'authenticated, without rights on admin_logs, updates their own profile');
SELECT is((SELECT count(*) FROM dropskills_v2.admin_logs), 0::bigint, '... and sees none of admin_logs (admins only)');
SELECT throws_ok($$INSERT INTO dropskills_v2.admin_logs (action) VALUES ('forged')$$, '42501', NULL,
                 '... nor can write it');
RESET ROLE;
SELECT is((pg_temp.last_log()).new_data, '{"full_name": "Édité via l''API"}'::jsonb, '... yet its audit row is written');
SELECT is((pg_temp.last_log()).actor_id::text || ' ' || (pg_temp.last_log()).actor_role, :'api_user' || ' authenticated',
          '... with the user and the role from the claims');
ROLLBACK TO SAVEPOINT r;

-- A SECURITY DEFINER function under a hostile search_path.
CREATE SCHEMA evil;
CREATE TABLE evil.admin_logs (LIKE dropskills_v2.admin_logs);
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '1999-01-01'::timestamptz $$;
CREATE FUNCTION evil.to_jsonb(anyelement) RETURNS jsonb LANGUAGE sql AS $$ SELECT '"hijacked"'::jsonb $$;
CREATE FUNCTION evil.numeric_mul(numeric, numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT 0::numeric $$;
CREATE OPERATOR evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = pg_catalog.uuid_ne);
CREATE FUNCTION public.rename_pack(p uuid, t text) RETURNS void LANGUAGE sql SECURITY DEFINER
    AS $$ UPDATE dropskills_v2.packs SET title = t WHERE id OPERATOR(pg_catalog.=) p $$;
SET search_path = evil, public, pg_catalog;
SELECT lives_ok(format($$SELECT public.rename_pack(%L, 'Sous chemin hostile')$$, :'pack_id'),
                'an update through a SECURITY DEFINER function under a hostile search_path succeeds');
RESET search_path;
SELECT is((pg_temp.last_log()).new_data, '{"title": "Sous chemin hostile"}'::jsonb, '... is audited with the real to_jsonb');
SELECT is((SELECT count(*) FROM evil.admin_logs), 0::bigint, '... into the target''s admin_logs, not a look-alike');
SELECT ok((pg_temp.last_log()).created_at > '2000-01-01', '... with the real now()');

-- Secrets are redacted; ignored columns neither trigger a row nor appear in a diff.
ALTER TABLE dropskills_v2.ai_tools ADD COLUMN api_key text;
INSERT INTO dropskills_v2.ai_tools (slug, name, api_key) VALUES ('resume', 'Résumé', 'sk-live-123');
SELECT is((pg_temp.last_log()).new_data->>'api_key', '[redacted]', 'a secret-like column is written as "[redacted]"');
UPDATE dropskills_v2.ai_tools SET api_key = 'sk-live-456' WHERE slug = 'resume';
SELECT is((pg_temp.last_log()).old_data || (pg_temp.last_log()).new_data, '{"api_key": "[redacted]"}'::jsonb,
          '... in diffs too (the change itself is recorded)');
SELECT is((SELECT count(*) FROM dropskills_v2.admin_logs WHERE new_data::text LIKE '%sk-live%' OR old_data::text LIKE '%sk-live%'),
          0::bigint, '... and the secret is nowhere in admin_logs');
SELECT dskv2_audit_enable('dropskills_v2.packs', ARRAY['updated_at']);
SELECT count(*) AS before_ignored FROM pg_temp.logs() \gset
UPDATE dropskills_v2.packs SET updated_at = now() - interval '1 day' WHERE id = :'pack_id';
SELECT is((SELECT count(*) FROM pg_temp.logs()), :before_ignored::bigint, 'an UPDATE of ignored columns only writes nothing');
UPDATE dropskills_v2.packs SET updated_at = now(), title = 'Avec ignoré' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).new_data, '{"title": "Avec ignoré"}'::jsonb, '... and ignored columns stay out of diffs');
SELECT throws_ok($$SELECT dskv2_audit_enable('dropskills_v2.packs', ARRAY['nope'])$$, '42703',
                 'dskv2: column packs.nope does not exist', 'an unknown ignored column is 42703, named');
SELECT throws_ok($$SELECT dskv2_audit_enable('public.products')$$, '22023', NULL,
                 'a table outside a dskv2 schema is refused (22023)');
SELECT throws_ok($$SELECT dskv2_audit_enable('dropskills_v2.admin_logs')$$, '22023', NULL, 'admin_logs cannot audit itself');

-- admin_logs as created takes the direct insert; a table a DBA changed (an
-- extra column with a default) takes the SQL path, defaults applied.
SAVEPOINT spi;
ALTER TABLE dropskills_v2.admin_logs ADD COLUMN reviewed text DEFAULT 'à revoir';
UPDATE dropskills_v2.packs SET title = 'Par SQL' WHERE id = :'pack_id';
SELECT is((SELECT reviewed || ' ' || (new_data->>'title') FROM dropskills_v2.admin_logs ORDER BY id DESC LIMIT 1),
          'à revoir Par SQL', 'a changed admin_logs is written through SQL, its defaults applied');
ROLLBACK TO SAVEPOINT spi;

-- The SQL path writes every field as the direct insert does. The same changes
-- (an UPDATE with claims, an INSERT, a composite-key DELETE, a TRUNCATE)
-- first through the direct insert, their rows kept in psql variables, then,
-- undone, again through the SQL path: field by field, then row by row.
SELECT title AS fb_old_title FROM dropskills_v2.packs WHERE id = :'pack_id' \gset
SELECT COALESCE(max(id), 0) AS fb_max_id FROM dropskills_v2.admin_logs \gset
SAVEPOINT fb;
SELECT dskv2_audit_enable('dropskills_v2.user_packs');
SET LOCAL request.jwt.claims = '{"sub": "c3333333-3333-4333-8333-333333333333", "role": "authenticated"}';
UPDATE dropskills_v2.packs SET title = 'Deux chemins' WHERE id = :'pack_id';
SET LOCAL request.jwt.claims = '';
INSERT INTO dropskills_v2.tags (id, name, slug) VALUES (990001, 'Chemins', 'chemins-audit');
INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id) VALUES (:'pack_id', 990001);
DELETE FROM dropskills_v2.pack_tags WHERE pack_id = :'pack_id' AND tag_id = 990001;
TRUNCATE dropskills_v2.user_packs;
SELECT jsonb_agg(to_jsonb(l) - 'id' ORDER BY l.id) AS fb_direct_rows FROM dropskills_v2.admin_logs l WHERE l.id > :fb_max_id \gset
ROLLBACK TO SAVEPOINT fb;
SAVEPOINT fb;
SELECT dskv2_audit_enable('dropskills_v2.user_packs');
ALTER TABLE dropskills_v2.admin_logs ADD COLUMN reviewed text DEFAULT 'à revoir';
SELECT COALESCE(max(id), 0) AS fb_max_id FROM dropskills_v2.admin_logs \gset
SET LOCAL request.jwt.claims = '{"sub": "c3333333-3333-4333-8333-333333333333", "role": "authenticated"}';
UPDATE dropskills_v2.packs SET title = 'Deux chemins' WHERE id = :'pack_id';
SET LOCAL request.jwt.claims = '';
CREATE TEMP TABLE fb_update AS SELECT * FROM dropskills_v2.admin_logs WHERE id > :fb_max_id;
SELECT is((SELECT count(*) FROM fb_update), 1::bigint, 'the SQL path: an UPDATE writes one row');
SELECT is((SELECT id > :fb_max_id FROM fb_update), true, '... id from the identity');
SELECT is((SELECT actor_id FROM fb_update), 'c3333333-3333-4333-8333-333333333333'::uuid, '... actor_id from the claims'' sub');
SELECT is((SELECT actor_role FROM fb_update), 'authenticated', '... actor_role from the claims'' role');
SELECT is((SELECT action FROM fb_update), 'UPDATE', '... action UPDATE');
SELECT is((SELECT table_name FROM fb_update), 'packs', '... table_name the bare V2 table name');
SELECT is((SELECT record_id FROM fb_update), :'pack_id', '... record_id the primary key as text');
SELECT is((SELECT old_data FROM fb_update), jsonb_build_object('title', :'fb_old_title'), '... old_data: the changed column''s old value only');
SELECT is((SELECT new_data FROM fb_update), '{"title": "Deux chemins"}'::jsonb, '... new_data: its new value only');
SELECT is((SELECT details FROM fb_update), NULL, '... details NULL');
SELECT is((SELECT txid FROM fb_update), txid_current(), '... txid the (top-level) transaction''s id, inside a savepoint too');
SELECT is((SELECT source FROM fb_update), 'trigger', '... source trigger');
SELECT is((SELECT created_at FROM fb_update), now(), '... created_at the transaction''s start (now())');
SELECT is((SELECT legacy FROM fb_update), NULL, '... legacy NULL');
SELECT is((SELECT migration_run_id FROM fb_update), NULL, '... migration_run_id NULL');
SELECT is((SELECT reviewed FROM fb_update), 'à revoir', '... and the DBA''s column takes its default');
INSERT INTO dropskills_v2.tags (id, name, slug) VALUES (990001, 'Chemins', 'chemins-audit');
INSERT INTO dropskills_v2.pack_tags (pack_id, tag_id) VALUES (:'pack_id', 990001);
DELETE FROM dropskills_v2.pack_tags WHERE pack_id = :'pack_id' AND tag_id = 990001;
TRUNCATE dropskills_v2.user_packs;
SELECT is((SELECT string_agg(action || ' ' || table_name || ' ' || COALESCE(record_id, '-') || ' ' || COALESCE(actor_role, '-')
                             || ' ' || COALESCE(actor_id::text, '-'), '; ' ORDER BY id)
             FROM dropskills_v2.admin_logs WHERE id > :fb_max_id),
          format('UPDATE packs %s authenticated c3333333-3333-4333-8333-333333333333; INSERT tags 990001 %s -; '
                 'INSERT pack_tags ["%s","990001"] %s -; DELETE pack_tags ["%s","990001"] %s -; TRUNCATE user_packs - %s -',
                 :'pack_id', current_user, :'pack_id', current_user, :'pack_id', current_user, current_user),
          'the SQL path: INSERT, composite-key DELETE and TRUNCATE rows, no claims: actor_id NULL, the session''s role');
SELECT is((SELECT new_data FROM dropskills_v2.admin_logs WHERE id > :fb_max_id AND action = 'INSERT' AND table_name = 'tags'),
          '{"id": 990001, "name": "Chemins", "slug": "chemins-audit", "migration_run_id": null}'::jsonb,
          '... an INSERT''s new_data is the whole row');
SELECT is((SELECT old_data FROM dropskills_v2.admin_logs WHERE id > :fb_max_id AND action = 'DELETE'),
          jsonb_build_object('pack_id', :'pack_id', 'tag_id', 990001, 'legacy', NULL, 'legacy_id', NULL, 'migration_run_id', NULL),
          '... a DELETE''s old_data is the whole row');
SELECT is((SELECT count(*) FROM dropskills_v2.admin_logs WHERE id > :fb_max_id AND action = 'TRUNCATE'
              AND old_data IS NULL AND new_data IS NULL AND record_id IS NULL), 1::bigint,
          '... a TRUNCATE has no record_id, old_data nor new_data');
SELECT is((SELECT jsonb_agg(to_jsonb(l) - 'id' - 'reviewed' ORDER BY l.id) FROM dropskills_v2.admin_logs l WHERE l.id > :fb_max_id),
          :'fb_direct_rows'::jsonb, 'the SQL path writes exactly the rows the direct insert writes (id aside)');
SELECT is((SELECT bool_and(reviewed = 'à revoir') FROM dropskills_v2.admin_logs WHERE id > :fb_max_id), true,
          '... every one with the DBA''s default');
ROLLBACK TO SAVEPOINT fb;
SELECT is(jsonb_array_length(:'fb_direct_rows'::jsonb), 5, 'the direct insert wrote those five rows');
SELECT is((:'fb_direct_rows'::jsonb) -> 0 -> 'created_at', to_jsonb(now()), '... its created_at is the transaction''s start too');
UPDATE dropskills_v2.packs SET title = 'Direct' WHERE id = :'pack_id';
SELECT is((pg_temp.last_log()).new_data->>'title', 'Direct', '... and the direct insert resumes once it is back');

-- TRUNCATE.
SELECT dskv2_audit_enable('dropskills_v2.user_packs');
TRUNCATE dropskills_v2.user_packs;
SELECT is((pg_temp.last_log()).action || ' ' || (pg_temp.last_log()).table_name || ' ' || coalesce((pg_temp.last_log()).record_id, '-'),
          'TRUNCATE user_packs -', 'TRUNCATE writes one row without a record_id');

-- Disable, then dskv2_create_schema re-attaches what is enabled only.
SELECT dskv2_audit_disable('dropskills_v2.packs');
SELECT count(*) AS before_disabled FROM pg_temp.logs() \gset
UPDATE dropskills_v2.packs SET title = 'Sans audit' WHERE id = :'pack_id';
SELECT is((SELECT count(*) FROM pg_temp.logs()), :before_disabled::bigint, 'dskv2_audit_disable detaches the trigger');
DROP TRIGGER dskv2_audit ON dropskills_v2.samples;
SELECT dskv2_create_schema();
SELECT ok(EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'dropskills_v2.samples'::regclass AND tgname = 'dskv2_audit')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'dropskills_v2.packs'::regclass AND tgname = 'dskv2_audit')
          AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'dropskills_v2.user_packs'::regclass AND tgname = 'dskv2_audit'),
          'dskv2_create_schema re-attaches the enabled triggers, not the disabled ones');

-- The migration's flag is backend-local and lasts one transaction at most.
SELECT is(dskv2_audit_suppress(true), false, 'the suppression flag is off outside a migration');
SELECT is(dskv2_audit_suppress(false), true, '... and can be put back');
CREATE SCHEMA no_metering;
SELECT throws_ok($$SELECT dskv2_track_ai_usage('x', NULL, 1, 1, target => 'no_metering')$$, '42P01', NULL,
                 'metering into a schema without ai_usage fails cleanly');
SELECT throws_ok($$SELECT dskv2_track_ai_usage('x', NULL, 1, 1, target => 'public')$$, '42501', NULL,
                 '... and into a schema whose objects other roles own: 42501');
SELECT throws_like($$SELECT dskv2_track_ai_usage('x', NULL, 1, 1, target => 'public')$$,
                   '%target "public" is not trusted: % is owned by %', '... naming the first of them');

SELECT * FROM finish();
ROLLBACK;
