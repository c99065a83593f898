-- pgTAP: AI usage metering (docs/triggers.md, "AI metering"): dskv2_track_ai_usage (cost, quota,
-- PT429 with its detail, idempotent replays, unknown and inactive tools, who
-- may call it) and the trigger dskv2_ai_track attaches (one row per request id,
-- per transaction and tool without one, the acting user, the source record).
-- The race of concurrent sessions is test/scenarios/ai_quota.sh.
\ir legacy_setup.psql
SELECT plan(57);
SELECT count(*) FROM dskv2_fixture.generate('S');
SELECT count(*) FROM dskv2_migrate_all();

INSERT INTO dropskills_v2.ai_tools (slug, name, provider, model, daily_quota, input_price_per_1k, output_price_per_1k)
VALUES ('resume', 'Résumé', 'openai', 'gpt-4o-mini', 3, 0.15, 0.60),
       ('libre', 'Sans limite', 'mistral', 'small', NULL, 0.2, 0.6),
       ('ancien', 'Retiré', 'openai', 'gpt-3', 10, 1, 1);
UPDATE dropskills_v2.ai_tools SET is_active = false WHERE slug = 'ancien';
SELECT id AS user_a FROM dropskills_v2.users ORDER BY id LIMIT 1 \gset
SELECT id AS user_b FROM dropskills_v2.users ORDER BY id OFFSET 1 LIMIT 1 \gset

-- Cost from the per-1k prices; NULL tokens count as 0.
SELECT dskv2_track_ai_usage('resume', :'user_a', 1200, 800, 'req-1', '{"prompt": "p1"}') AS first_id \gset
SELECT is((SELECT cost FROM dropskills_v2.ai_usage WHERE id = :first_id), 0.66::numeric,
          'cost = 1200/1000 x 0.15 + 800/1000 x 0.60');
SELECT is((SELECT (input_tokens, output_tokens, request_id, metadata)::text FROM dropskills_v2.ai_usage WHERE id = :first_id),
          '(1200,800,req-1,"{""prompt"": ""p1""}")', '... tokens, request id and metadata are kept');
SELECT is((SELECT tool_id FROM dropskills_v2.ai_usage WHERE id = :first_id),
          (SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'resume'), '... for the tool named by slug');
SELECT ok(dskv2_track_ai_usage('resume', :'user_a', NULL, 1000) > :first_id, 'NULL tokens are accepted');
SELECT is((SELECT cost FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1), 0.6::numeric, '... and count as 0');
SELECT is((SELECT input_tokens FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1), 0, '... and are stored as 0');

-- Replays are idempotent and never fail.
SELECT is(dskv2_track_ai_usage('resume', :'user_a', 1200, 800, 'req-1'), :first_id::bigint,
          'replaying a request id returns the existing row');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage WHERE request_id = 'req-1'), 1::bigint, '... without a second row');

-- Quota: rows per user and tool per UTC day.
SELECT ok(dskv2_track_ai_usage('resume', :'user_a', 10, 10) > 0, 'the third request of the day passes (quota 3)');
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('resume', %L, 10, 10)$$, :'user_a'), 'PT429',
                 'dskv2: daily quota of AI tool "resume" exceeded', 'the fourth raises PT429');
CREATE FUNCTION pg_temp.detail_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN d;
END $$;
SELECT is(pg_temp.detail_of(format($$SELECT dskv2_track_ai_usage('resume', %L, 10, 10)$$, :'user_a')),
          format('tool: resume; limit: 3 requests per user per UTC day; resets at: %s',
                 to_char((date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day'), 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
          '... with the tool, the limit and the reset time in the detail');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage WHERE user_id = :'user_a'), 3::bigint, '... and writes nothing');
SELECT is(dskv2_track_ai_usage('resume', :'user_a', 1200, 800, 'req-1'), :first_id::bigint,
          'a replay over quota still returns the existing row');
SELECT ok(dskv2_track_ai_usage('resume', :'user_b', 1, 1) > 0, 'the quota is per user');
SELECT ok(dskv2_track_ai_usage('libre', :'user_a', 1, 1) > 0, 'and per tool; no quota means no limit');
SELECT ok(dskv2_track_ai_usage('resume', NULL, 1, 1, 'anon-1') > 0, 'a request without a user is recorded');
UPDATE dropskills_v2.ai_usage SET created_at = created_at - interval '1 day' WHERE user_id = :'user_a';
SELECT ok(dskv2_track_ai_usage('resume', :'user_a', 1, 1) > 0, 'yesterday''s rows do not count today');

-- The quota ledger: one row per tool, user and day, equal to the day's rows.
-- A write that is not the metering's (an admin's INSERT or DELETE) resets it,
-- and the next request counts again.
SELECT is((SELECT used FROM dropskills_v2.ai_usage_daily WHERE user_key = :'user_a'
             AND tool_id = (SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'resume')),
          (SELECT count(*) FROM dropskills_v2.ai_usage WHERE user_id = :'user_a'
             AND tool_id = (SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'resume') AND created_at >= date_trunc('day', now())),
          'the quota ledger holds the day''s count of the user''s requests');
SAVEPOINT ledger;
INSERT INTO dropskills_v2.ai_usage (user_id, tool_id) SELECT :'user_a', id FROM dropskills_v2.ai_tools, generate_series(1, 2)
 WHERE slug = 'resume';
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage_daily), 0::bigint, 'a direct INSERT into ai_usage empties the ledger');
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('resume', %L, 1, 1)$$, :'user_a'), 'PT429', NULL,
                 '... and the rows it added count against the quota');
DELETE FROM dropskills_v2.ai_usage WHERE user_id = :'user_a' AND request_id IS NULL AND input_tokens = 0 AND output_tokens = 0;
SELECT ok(dskv2_track_ai_usage('resume', :'user_a', 1, 1) > 0, 'rows deleted directly free the quota again');
ROLLBACK TO SAVEPOINT ledger;
SAVEPOINT prune;
DELETE FROM dropskills_v2.ai_usage_daily WHERE user_key = :'user_b';
INSERT INTO dropskills_v2.ai_usage_daily (tool_id, user_key, day, used)
SELECT id, :'user_b', (now() AT TIME ZONE 'UTC')::date - 1, 5 FROM dropskills_v2.ai_tools WHERE slug = 'resume';
SELECT ok(dskv2_track_ai_usage('resume', :'user_b', 1, 1) > 0, 'a user''s first request of the day counts their day');
SELECT is((SELECT array_agg(used ORDER BY day) FROM dropskills_v2.ai_usage_daily WHERE user_key = :'user_b'), ARRAY[2::bigint],
          '... and the ledger keeps that day only');
ROLLBACK TO SAVEPOINT prune;

-- A hostile search_path: an `=` on text that is always true, a count() that
-- always says 0, a `*` on numeric that gives 0, a `<` of bigint and integer
-- that is always true. The metering's statements name pg_catalog's own. The
-- calls run under that search_path and their results go to psql variables;
-- the assertions run once it is reset (pgTAP's own functions would pick up the
-- hostile operators too, and could then never fail).
SAVEPOINT hostile;
CREATE SCHEMA evil;
CREATE FUNCTION evil.always(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.always);
CREATE FUNCTION evil.zero_sfunc(bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT 0::bigint $$;
CREATE AGGREGATE evil.count(*) (SFUNC = evil.zero_sfunc, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION evil.times(numeric, numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT 0::numeric $$;
CREATE OPERATOR evil.* (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.times);
CREATE FUNCTION evil.below(bigint, integer) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR evil.< (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = evil.below);
-- What a one-value statement returns, or 'error <SQLSTATE>' (it runs with the
-- caller's search_path).
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE sql INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE;
END $$;
-- user_a has one 'resume' request today (quota 3); without its ledger row the
-- metering counts the day's rows from ai_usage.
DELETE FROM dropskills_v2.ai_usage_daily;
SET search_path = evil, pg_catalog, public;
SELECT pg_temp.try(format($$SELECT dskv2_track_ai_usage('libre', %L, 1000, 1000, 'req-hostile')$$, :'user_b')) AS hostile_id \gset
SELECT pg_temp.try(format($$SELECT dskv2_track_ai_usage('libre', %L, 5, 5, 'req-hostile')$$, :'user_b')) AS hostile_replay_id \gset
SELECT pg_temp.try(format($$SELECT dskv2_track_ai_usage('resume', %L, 1, 1)$$, :'user_a')) AS hostile_fill_1 \gset
SELECT pg_temp.try(format($$SELECT dskv2_track_ai_usage('resume', %L, 1, 1)$$, :'user_a')) AS hostile_fill_2 \gset
SELECT pg_temp.try(format($$SELECT dskv2_track_ai_usage('resume', %L, 10, 10)$$, :'user_a')) AS hostile_over_quota \gset
RESET search_path;
CREATE FUNCTION pg_temp.id_of(v text) RETURNS bigint LANGUAGE sql AS $$ SELECT CASE WHEN v ~ '^[0-9]+$' THEN v::bigint END $$;
SELECT ok(pg_temp.id_of(:'hostile_id') IS NOT NULL AND pg_temp.id_of(:'hostile_id') <> :first_id,
          format('under a hostile search_path, a new request id is not taken for another one (%s)', :'hostile_id'));
SELECT is((SELECT format('%s %s %s', u.request_id, t.slug, u.cost) FROM dropskills_v2.ai_usage u
             JOIN dropskills_v2.ai_tools t ON t.id = u.tool_id WHERE u.id = pg_temp.id_of(:'hostile_id')),
          'req-hostile libre 0.8000', '... it is recorded under its own request id, for its tool, at its cost');
SELECT is(:'hostile_replay_id'::text, :'hostile_id'::text, '... and its replay returns it');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage WHERE request_id = 'req-hostile'), 1::bigint, '... without a second row');
SELECT ok(pg_temp.id_of(:'hostile_fill_1') > pg_temp.id_of(:'hostile_id') AND pg_temp.id_of(:'hostile_fill_2') > pg_temp.id_of(:'hostile_fill_1'),
          format('... the second and third requests of the day pass (%s, %s)', :'hostile_fill_1', :'hostile_fill_2'));
SELECT is(:'hostile_over_quota'::text, 'error PT429', '... and the fourth raises PT429: the quota is still counted');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage u JOIN dropskills_v2.ai_tools t ON t.id = u.tool_id
            WHERE u.user_id = :'user_a' AND t.slug = 'resume' AND u.created_at >= date_trunc('day', now())),
          3::bigint, '... which leaves exactly 3 of the user''s requests today');
SELECT is((SELECT used FROM dropskills_v2.ai_usage_daily l JOIN dropskills_v2.ai_tools t ON t.id = l.tool_id
            WHERE l.user_key = :'user_a' AND t.slug = 'resume'),
          3::bigint, '... and the ledger says 3');
ROLLBACK TO SAVEPOINT hostile;

-- Errors.
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('inconnu', %L, 1, 1)$$, :'user_a'), '42704',
                 'dskv2: unknown AI tool "inconnu"', 'an unknown tool is 42704');
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('ancien', %L, 1, 1)$$, :'user_a'), '55000',
                 'dskv2: AI tool "ancien" is not active', 'an inactive tool is 55000');
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage(NULL, %L, 1, 1)$$, :'user_a'), '22023', NULL, 'a NULL tool is 22023');
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('libre', %L, -1, 1)$$, :'user_a'), '22023', NULL,
                 'negative tokens are 22023');
SELECT throws_ok($$SELECT dskv2_track_ai_usage('libre', NULL, 1, 1, target => 'nulle_part')$$, '3F000', NULL,
                 'a missing target schema is 3F000');

-- Not for API users.
SELECT ok(NOT has_function_privilege('anon', 'dskv2_track_ai_usage(text, uuid, int, int, text, jsonb, name)', 'EXECUTE')
          AND NOT has_function_privilege('authenticated', 'dskv2_track_ai_usage(text, uuid, int, int, text, jsonb, name)', 'EXECUTE'),
          'dskv2_track_ai_usage is not executable by anon or authenticated');
SELECT ok(NOT has_function_privilege('authenticated', 'dskv2_ai_track(regclass)', 'EXECUTE')
          AND NOT has_function_privilege('authenticated', 'dskv2_audit_enable(regclass, text[])', 'EXECUTE'),
          'nor are the functions that attach triggers');

-- The trigger: writes made under dskv2.ai_tool.
SELECT dskv2_ai_track('dropskills_v2.trending_ideas');
SELECT count(*) AS before_trigger FROM dropskills_v2.ai_usage \gset
INSERT INTO dropskills_v2.trending_ideas (title) VALUES ('Sans outil');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage), :before_trigger::bigint, 'a write without dskv2.ai_tool is not metered');
SAVEPOINT w;
SET LOCAL dskv2.ai_tool = 'libre';
SET LOCAL dskv2.ai_input_tokens = '300';
SET LOCAL dskv2.ai_output_tokens = '900';
SELECT set_config('request.jwt.claims', json_build_object('sub', :'user_a', 'role', 'authenticated')::text, true) IS NOT NULL AS claims_set \gset
WITH ins AS (INSERT INTO dropskills_v2.trending_ideas (title) VALUES ('Idée A'), ('Idée B') RETURNING id)
SELECT min(id) AS idea_id FROM ins \gset
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage), :before_trigger::bigint + 1, 'two rows in one transaction and tool: one ai_usage row');
SELECT is((SELECT (user_id, input_tokens, output_tokens, cost, source_table)::text FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1),
          format('(%s,300,900,0.6000,trending_ideas)', :'user_a'), '... for the acting user, with tokens, cost and table');
SELECT is((SELECT source_record FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1), :'idea_id', '... and the first row written');
SELECT is((SELECT request_id FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1), format('xact:%s:libre', txid_current()),
          '... under the transaction''s request id');
UPDATE dropskills_v2.trending_ideas SET score = 1 WHERE id = :idea_id;
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage), :before_trigger::bigint + 1, '... an UPDATE in the same transaction adds nothing');
SET LOCAL dskv2.ai_request_id = 'req-trigger';
UPDATE dropskills_v2.trending_ideas SET score = 2 WHERE id = :idea_id;
SELECT is((SELECT request_id FROM dropskills_v2.ai_usage ORDER BY id DESC LIMIT 1), 'req-trigger',
          'dskv2.ai_request_id names the request: a new row');
SELECT count(*) FROM (SELECT dskv2_track_ai_usage('resume', :'user_a', 1, 1) FROM generate_series(1, 2)) fill;
SET LOCAL dskv2.ai_tool = 'resume';
SET LOCAL dskv2.ai_request_id = '';
SELECT throws_ok(format($$UPDATE dropskills_v2.trending_ideas SET score = 3 WHERE id = %s$$, :idea_id), 'PT429', NULL,
                 'over quota, the write itself fails with PT429');
SET LOCAL dskv2.ai_tool = 'libre';
SET LOCAL dskv2.ai_input_tokens = 'beaucoup';
SELECT throws_ok(format($$UPDATE dropskills_v2.trending_ideas SET score = 4 WHERE id = %s$$, :idea_id), '22023', NULL,
                 'a token setting that is not a count is 22023');
ROLLBACK TO SAVEPOINT w;
SELECT dskv2_ai_untrack('dropskills_v2.trending_ideas');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'dskv2_ai_usage'), 'dskv2_ai_untrack detaches the trigger');
SELECT throws_ok($$SELECT dskv2_ai_track('dropskills_v2.ai_usage')$$, '22023', NULL, 'ai_usage itself cannot be metered');

RESET dskv2.ai_tool;
RESET dskv2.ai_input_tokens;
RESET dskv2.ai_request_id;
RESET request.jwt.claims;

-- A request id replayed with another user or tool is not that request: 22023, nothing written,
-- and never the other user's row.
SELECT count(*) AS usage_before FROM dropskills_v2.ai_usage \gset
SELECT throws_ok(format($$SELECT dskv2_track_ai_usage('resume', %L, 1, 1, 'req-1')$$, :'user_b'), '22023',
                 'dskv2: AI request id "req-1" was already recorded for another user or tool',
                 'replaying a request id with another user raises 22023');
SELECT throws_ok($$SELECT dskv2_track_ai_usage('libre', NULL, 1, 1, 'req-1')$$, '22023', NULL,
                 '... with another tool too (or without a user)');
SELECT is((SELECT count(*) FROM dropskills_v2.ai_usage), :usage_before::bigint, '... and writes nothing');

-- service_role, through <target>_api (what PostgREST exposes to it): written with its own rights.
SELECT is((SELECT p.prosecdef FROM pg_proc p WHERE p.oid = 'dropskills_v2_api.track_ai_usage(text, uuid, int, int, text, jsonb)'::regprocedure),
          false, 'dropskills_v2_api.track_ai_usage is SECURITY INVOKER');
SELECT ok(has_function_privilege('service_role', 'dropskills_v2_api.track_ai_usage(text, uuid, int, int, text, jsonb)', 'EXECUTE')
          AND NOT has_function_privilege('authenticated', 'dropskills_v2_api.track_ai_usage(text, uuid, int, int, text, jsonb)', 'EXECUTE')
          AND NOT has_function_privilege('anon', 'dropskills_v2_api.track_ai_usage(text, uuid, int, int, text, jsonb)', 'EXECUTE'),
          '... executable by service_role only');
SET LOCAL ROLE service_role;
SELECT dropskills_v2_api.track_ai_usage('libre', :'user_b', 100, 50, 'req-api') AS api_id \gset
RESET ROLE;
SELECT is((SELECT (user_id, request_id, cost)::text FROM dropskills_v2.ai_usage WHERE id = :api_id),
          format('(%s,req-api,0.0500)', :'user_b'), '... and service_role records a request through it');
SELECT throws_ok($$SET LOCAL ROLE authenticated; SELECT dropskills_v2_api.track_ai_usage('libre', NULL, 1, 1)$$, '42501', NULL,
                 'authenticated cannot call it');
RESET ROLE;
-- With its caller's rights: a role that may execute it but not write ai_usage gets 42501.
CREATE ROLE meter_reader NOLOGIN;
GRANT USAGE ON SCHEMA dropskills_v2 TO meter_reader;
GRANT SELECT ON dropskills_v2.ai_tools, dropskills_v2.ai_usage TO meter_reader;
GRANT EXECUTE ON FUNCTION dskv2_track_ai_usage(text, uuid, int, int, text, jsonb, name) TO meter_reader;
SELECT throws_ok($$SET LOCAL ROLE meter_reader; SELECT dskv2_track_ai_usage('libre', NULL, 1, 1, 'req-reader')$$, '42501', NULL,
                 'dskv2_track_ai_usage writes with its caller''s rights, not the target owner''s');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
