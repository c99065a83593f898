-- Setup of bench/triggers.sh, run once on a database where the M fixture was
-- migrated to dropskills_v2: the key maps the pgbench scripts draw from, the
-- PL/pgSQL equivalents of the native audit trigger and of dskv2_track_ai_usage,
-- and the metered tool. Everything the benchmark adds lives in schema bench.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- Row n (1-based, dense) of each table the scripts pick from at random.
CREATE TABLE bench.users (n integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.users SELECT row_number() OVER (ORDER BY id), id FROM dropskills_v2.users;
CREATE TABLE bench.packs (n integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.packs SELECT row_number() OVER (ORDER BY id), id FROM dropskills_v2.packs;
-- The content of new packs: copies of existing ones, under a fresh slug (the
-- columns both builds have: the release keeps file_url on packs, this build in
-- pack_files; neither side writes it).
CREATE TABLE bench.pack_src AS
SELECT row_number() OVER (ORDER BY id)::integer AS n, title, description, price, category_id, cover_url,
       format, language, is_premium, status, author_id
  FROM dropskills_v2.packs;
ALTER TABLE bench.pack_src ADD PRIMARY KEY (n);
-- The favorites a client deletes and puts back; client c only touches the rows
-- with n % clients = c, so two clients never race for one key.
CREATE TABLE bench.favorites AS
SELECT row_number() OVER (ORDER BY user_id, pack_id)::integer AS n, user_id, pack_id, created_at, legacy, legacy_id,
       migration_run_id
  FROM dropskills_v2.favorites;
ALTER TABLE bench.favorites ADD PRIMARY KEY (n);

-- The audit trigger as supa_audit writes it: AFTER INSERT OR UPDATE OR DELETE
-- FOR EACH ROW, the whole OLD and NEW rows through to_jsonb(), the actor read
-- from the PostgREST claims. It writes the same admin_logs row as the native
-- trigger (whole rows on UPDATE, where the native trigger keeps the changed
-- columns only). The primary key columns are the trigger's arguments (cheaper
-- than the catalog lookup supa_audit makes on every row). Not SECURITY DEFINER
-- (the benchmark runs as the owner), which only spares it work.
CREATE FUNCTION bench.audit_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
    sub text := claims ->> 'sub';
    old_data jsonb;
    new_data jsonb;
    key_row jsonb;
    record_id text;
    key_texts jsonb;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        new_data := to_jsonb(NEW);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_data := to_jsonb(OLD);
    END IF;
    key_row := coalesce(new_data, old_data);
    IF TG_NARGS = 1 THEN
        record_id := key_row ->> TG_ARGV[0];
    ELSE
        key_texts := '[]';
        FOR i IN 0 .. TG_NARGS - 1 LOOP
            key_texts := key_texts || to_jsonb(key_row ->> TG_ARGV[i]);
        END LOOP;
        record_id := key_texts::text;
    END IF;
    INSERT INTO dropskills_v2.admin_logs (actor_id, actor_role, action, table_name, record_id, old_data, new_data,
                                          txid, source)
    VALUES (CASE WHEN sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN sub::uuid END,
            coalesce(claims ->> 'role', current_user), TG_OP, TG_TABLE_NAME, record_id, old_data, new_data,
            txid_current(), 'trigger');
    RETURN NULL;
END
$$;

-- dskv2_track_ai_usage in PL/pgSQL, step for step: the tool by slug, active,
-- a replayed request id returns its row, the (tool, user, UTC day) advisory
-- lock, today's count against the quota, the priced insert.
CREATE FUNCTION bench.track_ai_usage(p_tool text, p_user_id uuid, p_input_tokens integer, p_output_tokens integer,
                                     p_request_id text DEFAULT NULL, p_metadata jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    day_start timestamptz := date_trunc('day', now(), 'UTC');
    used bigint;
    new_id bigint;
BEGIN
    IF p_request_id IS NOT NULL THEN
        SELECT u.id INTO new_id FROM dropskills_v2.ai_usage u WHERE u.request_id = p_request_id;
        IF FOUND THEN
            RETURN new_id;
        END IF;
    END IF;
    SELECT a.id, a.is_active, a.daily_quota, a.input_price_per_1k, a.output_price_per_1k INTO t
      FROM dropskills_v2.ai_tools a WHERE a.slug = p_tool;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown AI tool "%"', p_tool USING ERRCODE = '42704';
    END IF;
    IF NOT t.is_active THEN
        RAISE EXCEPTION 'AI tool "%" is not active', p_tool USING ERRCODE = '55000';
    END IF;
    IF t.daily_quota IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext(t.id || ':' || coalesce(p_user_id::text, '')),
                                      (extract(epoch FROM day_start) / 86400)::integer);
        IF p_user_id IS NULL THEN
            SELECT count(*) INTO used FROM dropskills_v2.ai_usage u
             WHERE u.user_id IS NULL AND u.tool_id = t.id
               AND u.created_at >= day_start AND u.created_at < day_start + interval '1 day';
        ELSE
            SELECT count(*) INTO used FROM dropskills_v2.ai_usage u
             WHERE u.user_id = p_user_id AND u.tool_id = t.id
               AND u.created_at >= day_start AND u.created_at < day_start + interval '1 day';
        END IF;
        IF used >= t.daily_quota THEN
            RAISE EXCEPTION 'daily quota of AI tool "%" exceeded', p_tool USING ERRCODE = 'PT429';
        END IF;
    END IF;
    INSERT INTO dropskills_v2.ai_usage AS u (user_id, tool_id, input_tokens, output_tokens, cost, request_id, metadata)
    VALUES (p_user_id, t.id, p_input_tokens, p_output_tokens,
            p_input_tokens * t.input_price_per_1k * 0.001 + p_output_tokens * t.output_price_per_1k * 0.001,
            p_request_id, p_metadata)
    ON CONFLICT (request_id) DO NOTHING
    RETURNING u.id INTO new_id;
    IF new_id IS NULL THEN  -- the same request id, committed by another session meanwhile
        SELECT u.id INTO new_id FROM dropskills_v2.ai_usage u WHERE u.request_id = p_request_id;
    END IF;
    RETURN new_id;
END
$$;

-- The metered tool: a quota so large it never trips, so that every call runs
-- the lock and the count.
INSERT INTO dropskills_v2.ai_tools (slug, name, provider, model, daily_quota, input_price_per_1k, output_price_per_1k)
VALUES ('bench-tool', 'Bench tool', 'openai', 'gpt-4o-mini', 100000000, 0.0025, 0.01);

-- 30 days of history before today (200,000 requests spread over the users),
-- so that ai_usage is not an empty table whose statistics would turn the quota
-- count into a sequential scan.
INSERT INTO dropskills_v2.ai_usage (user_id, tool_id, input_tokens, output_tokens, cost, created_at)
SELECT u.id, t.id, 120, 480, 0.0051, date_trunc('day', now(), 'UTC') - interval '30 days' + g * interval '12.96 seconds'
  FROM generate_series(0, 199999) AS g
  JOIN bench.users u ON u.n = 1 + (g * 7919) % (SELECT count(*) FROM bench.users)
 CROSS JOIN dropskills_v2.ai_tools t
 WHERE t.slug = 'bench-tool';

-- The rows that are not the benchmark's, kept by bench/triggers/reset.sql.
CREATE TABLE bench.floor AS
SELECT (SELECT coalesce(max(id), 0) FROM dropskills_v2.admin_logs) AS admin_logs,
       (SELECT coalesce(max(id), 0) FROM dropskills_v2.ai_usage) AS ai_usage;
