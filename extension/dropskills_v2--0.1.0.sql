-- dropskills_v2 0.1.0: install script.
-- Safe against search_path hijacking: every reference is schema-qualified
-- (@extschema@, pg_catalog) and no object is created with OR REPLACE / IF NOT EXISTS.

\echo Use "CREATE EXTENSION dropskills_v2" to load this file. \quit

-- Native text functions (C++). They run no SQL, so they carry no SET clause:
-- it would slow every call (one per migrated row).

CREATE FUNCTION @extschema@.dskv2_slugify(input pg_catalog.text,
                                          separator pg_catalog.text DEFAULT '-',
                                          max_length pg_catalog.int4 DEFAULT 0)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_slugify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_slugify(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'URL slug: runs of [a-z0-9] joined by separator; HTML entities decoded, scripts transliterated with built-in tables, emoji and symbols dropped; max_length > 0 keeps the longest whole-word prefix';

CREATE FUNCTION @extschema@.dskv2_detect_sample_type(source pg_catalog.text,
                                                     hint pg_catalog.text DEFAULT NULL,
                                                     head pg_catalog.bytea DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_detect_sample_type'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_detect_sample_type(pg_catalog.text, pg_catalog.text, pg_catalog.bytea) IS
'Sample type (pdf, video, audio, image, document, spreadsheet, presentation, archive, ebook, text, link, unknown) from magic bytes, host, MIME, extension, content and format word; never raises';

-- Diagnostic: drives every path of the C++/PostgreSQL error boundary.
CREATE FUNCTION @extschema@.dskv2_boundary_selftest(mode pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_boundary_selftest'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION @extschema@.dskv2_boundary_selftest(pg_catalog.text) IS
'Diagnostic for superusers: raises each kind of C++ and PostgreSQL error through the extension''s error boundary (modes: ok, pg_ok, core_error, bad_alloc, std_exception, unknown_exception, pg_error)';



--------------------------------------------------------------------------------
-- Target schema (SPEC §3). Its objects are created at run time, owned by the
-- caller, and are NOT members of the extension: DROP EXTENSION never drops them.
-- No column default, CHECK, index, view or policy in a target schema calls a
-- dskv2_* function or uses an extension type.
--------------------------------------------------------------------------------

-- The ownership marker is the target schema's comment: pg_dump/pg_restore carry
-- it and DROP/CREATE EXTENSION leave it alone.
CREATE FUNCTION @extschema@.dskv2_target_marker()
RETURNS pg_catalog.text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 'dropskills_v2 target schema: created and managed by the dropskills_v2 extension (do not edit this comment)'::pg_catalog.text $$;

-- Raises 42P06 unless `target` may be created or managed by dskv2.
-- Returns true when the schema exists already (with the marker).
CREATE FUNCTION @extschema@.dskv2_check_target(target pg_catalog.name, source pg_catalog.name DEFAULT NULL)
RETURNS pg_catalog.bool
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    schema_oid pg_catalog.oid;
    marker pg_catalog.text;
BEGIN
    IF target IS NULL OR target = '' THEN
        RAISE EXCEPTION 'dskv2: target schema name must not be empty' USING ERRCODE = '22023';
    END IF;
    IF target IN ('pg_catalog', 'information_schema', 'auth', 'extensions', 'pg_toast', 'public',
                  'storage', 'realtime', 'graphql', 'graphql_public', 'vault', 'supabase_functions')
       OR target LIKE 'pg\_%' THEN
        RAISE EXCEPTION 'dskv2: refusing target schema "%": it is a system or platform schema', target
            USING ERRCODE = '42P06',
                  HINT = 'Use a dedicated schema such as dropskills_v2.';
    END IF;
    IF source IS NOT NULL AND target = source THEN
        RAISE EXCEPTION 'dskv2: target schema "%" is the source schema', target
            USING ERRCODE = '42P06';
    END IF;
    SELECT n.oid, pg_catalog.obj_description(n.oid, 'pg_namespace')
      INTO schema_oid, marker
      FROM pg_catalog.pg_namespace n WHERE n.nspname = target;
    IF schema_oid IS NULL THEN
        RETURN false;
    END IF;
    IF marker IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', target
            USING ERRCODE = '42P06',
                  DETAIL = 'Its comment does not carry the dropskills_v2 ownership marker.',
                  HINT = 'Choose another target schema, or drop this one yourself.';
    END IF;
    RETURN true;
END
$$;

-- The legacy sequences' last values decide where V2 identities start: above
-- them plus a gap of 1,000,000, so rows the application creates in V2 never
-- collide with legacy rows still arriving. Identities only ever move up.
CREATE FUNCTION @extschema@.dskv2_bump_identities(source pg_catalog.name, target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pair pg_catalog.text[];
    legacy_seq pg_catalog.regclass;
    legacy_last pg_catalog.int8;
    legacy_max pg_catalog.int8;
    v2_seq pg_catalog.regclass;
    v2_next pg_catalog.int8;
    wanted pg_catalog.int8;
BEGIN
    FOREACH pair SLICE 1 IN ARRAY ARRAY[['categories', 'categories'], ['samples', 'samples'],
                                        ['trending_ideas', 'trending_ideas'], ['admin_logs', 'admin_logs']] LOOP
        v2_seq := pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', target, pair[2]), 'id')::pg_catalog.regclass;
        CONTINUE WHEN v2_seq IS NULL;
        legacy_last := 0;
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source, pair[1])) IS NOT NULL THEN
            legacy_seq := pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', source, pair[1]), 'id')::pg_catalog.regclass;
            IF legacy_seq IS NOT NULL THEN
                -- A plain read (ACCESS SHARE): pg_sequence_last_value() would lock
                -- the legacy sequence ROW EXCLUSIVE.
                EXECUTE pg_catalog.format('SELECT last_value FROM %s', legacy_seq) INTO legacy_last;
            END IF;
            EXECUTE pg_catalog.format('SELECT COALESCE(max(id), 0)::pg_catalog.int8 FROM %I.%I', source, pair[1])
                INTO legacy_max;
            legacy_last := GREATEST(legacy_last, legacy_max);
        END IF;
        wanted := legacy_last + 1000001;
        EXECUTE pg_catalog.format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', v2_seq)
            INTO v2_next;
        IF v2_next IS NULL OR v2_next < wanted THEN
            EXECUTE pg_catalog.format('ALTER TABLE %I.%I ALTER COLUMN id RESTART WITH %s', target, pair[2], wanted);
        END IF;
    END LOOP;
END
$$;

-- The foreign keys between V2 tables (and their indexes). A first
-- one-transaction migration adds them after loading, as pg_restore does: one
-- validating join per key instead of a trigger call per row.
CREATE FUNCTION @extschema@.dskv2_add_constraints(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    fk pg_catalog.text[];
BEGIN
    -- table, column, referenced table, ON DELETE action, index the column (no when a primary key leads with it)
    FOREACH fk SLICE 1 IN ARRAY ARRAY[
        ['packs', 'category_id', 'categories', 'SET NULL', 'yes'],
        ['packs', 'author_id', 'users', 'SET NULL', 'yes'],
        ['samples', 'pack_id', 'packs', 'CASCADE', 'yes'],
        ['pack_tags', 'pack_id', 'packs', 'CASCADE', 'no'],
        ['pack_tags', 'tag_id', 'tags', 'CASCADE', 'yes'],
        ['favorites', 'user_id', 'users', 'CASCADE', 'no'],
        ['favorites', 'pack_id', 'packs', 'CASCADE', 'yes'],
        ['pack_stats', 'pack_id', 'packs', 'CASCADE', 'no'],
        ['trending_ideas', 'category_id', 'categories', 'SET NULL', 'yes']] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                        WHERE c.conrelid = pg_catalog.format('%I.%I', target, fk[1])::pg_catalog.regclass
                          AND c.conname = fk[1] || '_' || fk[2] || '_fkey') THEN
            EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %I.%I (id) ON DELETE %s',
                                      target, fk[1], fk[1] || '_' || fk[2] || '_fkey', fk[2], target, fk[3], fk[4]);
        END IF;
        IF fk[5] = 'yes' THEN
            EXECUTE pg_catalog.format('CREATE INDEX IF NOT EXISTS %I ON %I.%I (%I)',
                                      fk[1] || '_' || fk[2] || '_idx', target, fk[1], fk[2]);
        END IF;
    END LOOP;
    -- admin_logs keeps its primary key only: every audited write pays for each
    -- index on it (add one on actor_id or created_at if the log is queried often).
    -- users.id follows auth.users when the table exists (Supabase). Adding the
    -- foreign key takes a SHARE ROW EXCLUSIVE lock on auth.users: done under a
    -- short lock_timeout with retries.
    IF pg_catalog.to_regclass('auth.users') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint
         WHERE conrelid = pg_catalog.format('%I.users', target)::pg_catalog.regclass AND conname = 'users_id_auth_fkey') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format(
            'ALTER TABLE %I.users ADD CONSTRAINT users_id_auth_fkey FOREIGN KEY (id) REFERENCES auth.users (id) ON DELETE CASCADE',
            target));
    END IF;

END
$$;

CREATE FUNCTION @extschema@.dskv2_create_schema(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.dskv2_create_tables(target);
    PERFORM @extschema@.dskv2_add_constraints(target);
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
END
$$;

-- Creates what is missing of the target schema, except the foreign keys
-- between V2 tables (dskv2_add_constraints).
CREATE FUNCTION @extschema@.dskv2_create_tables(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    existed pg_catalog.bool;
BEGIN
    existed := @extschema@.dskv2_check_target(target);
    IF NOT existed THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', target);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', target, @extschema@.dskv2_target_marker());
    END IF;

    -- Every table below carries migration_run_id: the run that brought the row
    -- from legacy (provenance); NULL for rows the application created in V2.
    EXECUTE pg_catalog.format($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.migration_runs (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        mode        text NOT NULL CHECK (mode IN ('atomic', 'batched', 'retry', 'sync', 'cutover')),
        status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
        params      jsonb NOT NULL DEFAULT '{}',
        report      jsonb,
        error       text,
        pid         integer NOT NULL DEFAULT pg_backend_pid(),
        started_by  text NOT NULL DEFAULT current_user,
        started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz
    );
    CREATE TABLE IF NOT EXISTS %1$I.migration_rejects (
        source_table text NOT NULL,
        source_key   text NOT NULL,
        reason       text NOT NULL,
        row_data     jsonb,
        run_id       bigint,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (source_table, source_key)
    );
    CREATE INDEX IF NOT EXISTS migration_rejects_run_id_idx ON %1$I.migration_rejects (run_id);
    -- Per legacy table: the checkpoint ledger and progress of batched runs.
    CREATE TABLE IF NOT EXISTS %1$I.migration_state (
        source_table text PRIMARY KEY,
        target_table text NOT NULL,
        run_id       bigint,
        status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done')),
        rows_total   bigint NOT NULL DEFAULT 0,
        rows_done    bigint NOT NULL DEFAULT 0,
        last_seq     bigint NOT NULL DEFAULT 0,
        counters     jsonb NOT NULL DEFAULT '{}',
        migrated_once boolean NOT NULL DEFAULT false,
        started_at   timestamptz,
        updated_at   timestamptz
    );
    -- The differing keys found by dskv2_verify_integrity (when the database is writable).
    CREATE TABLE IF NOT EXISTS %1$I.verify_diffs (
        checked_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        check_name   text NOT NULL,
        table_name   text NOT NULL,
        key          text NOT NULL
    );
    -- Which tables carry the native triggers (SPEC §7), so dskv2_create_schema
    -- can re-attach them after DROP EXTENSION ... CASCADE took them away.
    CREATE TABLE IF NOT EXISTS %1$I.trigger_settings (
        kind            text NOT NULL CHECK (kind IN ('audit', 'ai_usage')),
        table_name      text NOT NULL,
        enabled         boolean NOT NULL DEFAULT true,
        ignored_columns text[] NOT NULL DEFAULT '{}',
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, table_name)
    );
    -- Legacy rows folded into an existing V2 row (duplicate favorites, tags).
    CREATE TABLE IF NOT EXISTS %1$I.migration_merges (
        source_table text NOT NULL,
        source_key   text NOT NULL,
        target_key   text NOT NULL,
        run_id       bigint,
        PRIMARY KEY (source_table, source_key)
    );
    -- Live sync finds a V2 row's merged legacy rows by it.
    CREATE INDEX IF NOT EXISTS migration_merges_target_key_idx ON %1$I.migration_merges (source_table, target_key);

    CREATE TABLE IF NOT EXISTS %1$I.users (
        id                  uuid PRIMARY KEY,
        email               text,
        full_name           text,
        avatar_url          text,
        role                text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'premium', 'admin')),
        subscription_status text,
        stripe_customer_id  text,
        created_at          timestamptz DEFAULT now(),
        updated_at          timestamptz,
        legacy              jsonb,
        migration_run_id    bigint
    );
    CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON %1$I.users (lower(email));

    CREATE TABLE IF NOT EXISTS %1$I.categories (
        id               integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name             text NOT NULL,
        slug             text COLLATE "C" NOT NULL UNIQUE,
        description      text,
        icon             text,
        created_at       timestamptz DEFAULT now(),
        legacy           jsonb,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.packs (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug             text COLLATE "C" NOT NULL UNIQUE,
        title            text NOT NULL,
        description      text,
        price            numeric(10,2) CHECK (price >= 0),
        category_id      integer,
        cover_url        text,
        file_url         text,
        format           text,
        language         text,
        is_premium       boolean NOT NULL DEFAULT false,
        status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
        author_id        uuid,
        created_at       timestamptz DEFAULT now(),
        updated_at       timestamptz,
        legacy           jsonb,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.samples (
        id               integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        pack_id          uuid NOT NULL,
        title            text,
        url              text,
        type             text NOT NULL CHECK (type IN ('pdf', 'video', 'audio', 'image', 'document', 'spreadsheet',
                                                       'presentation', 'archive', 'ebook', 'text', 'link', 'unknown')),
        created_at       timestamptz DEFAULT now(),
        legacy           jsonb,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.tags (
        id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name             text NOT NULL,
        slug             text COLLATE "C" NOT NULL UNIQUE,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.pack_tags (
        pack_id          uuid NOT NULL,
        tag_id           bigint NOT NULL,
        legacy           jsonb,
        legacy_id        integer,
        migration_run_id bigint,
        PRIMARY KEY (pack_id, tag_id)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS pack_tags_legacy_id_key ON %1$I.pack_tags (legacy_id);

    CREATE TABLE IF NOT EXISTS %1$I.favorites (
        user_id          uuid NOT NULL,
        pack_id          uuid NOT NULL,
        created_at       timestamptz DEFAULT now(),
        legacy           jsonb,
        legacy_id        integer,
        migration_run_id bigint,
        PRIMARY KEY (user_id, pack_id)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS favorites_legacy_id_key ON %1$I.favorites (legacy_id);

    CREATE TABLE IF NOT EXISTS %1$I.user_packs (
        user_id          uuid NOT NULL REFERENCES %1$I.users (id) ON DELETE CASCADE,
        pack_id          uuid NOT NULL REFERENCES %1$I.packs (id) ON DELETE CASCADE,
        access           text NOT NULL DEFAULT 'purchased' CHECK (access IN ('purchased', 'gifted', 'subscription', 'trial')),
        acquired_at      timestamptz NOT NULL DEFAULT now(),
        last_accessed_at timestamptz,
        progress         numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
        PRIMARY KEY (user_id, pack_id)
    );
    CREATE INDEX IF NOT EXISTS user_packs_pack_id_idx ON %1$I.user_packs (pack_id);

    CREATE TABLE IF NOT EXISTS %1$I.pack_stats (
        pack_id          uuid PRIMARY KEY,
        views            bigint NOT NULL DEFAULT 0,
        downloads        bigint NOT NULL DEFAULT 0,
        favorites_count  bigint NOT NULL DEFAULT 0,
        last_viewed_at   timestamptz,
        updated_at       timestamptz,
        legacy           jsonb,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.ai_tools (
        id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        slug                text COLLATE "C" NOT NULL UNIQUE,
        name                text NOT NULL,
        provider            text,
        model               text,
        config              jsonb NOT NULL DEFAULT '{}',
        is_active           boolean NOT NULL DEFAULT true,
        daily_quota         integer CHECK (daily_quota >= 0),
        input_price_per_1k  numeric NOT NULL DEFAULT 0 CHECK (input_price_per_1k >= 0),
        output_price_per_1k numeric NOT NULL DEFAULT 0 CHECK (output_price_per_1k >= 0),
        created_at          timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE IF NOT EXISTS %1$I.ai_usage (
        id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        user_id       uuid REFERENCES %1$I.users (id) ON DELETE SET NULL,
        tool_id       bigint NOT NULL REFERENCES %1$I.ai_tools (id),
        input_tokens  integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cost          numeric NOT NULL DEFAULT 0,
        request_id    text UNIQUE,
        source_table  text,
        source_record text,
        metadata      jsonb,
        created_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS ai_usage_user_id_idx ON %1$I.ai_usage (user_id);
    CREATE INDEX IF NOT EXISTS ai_usage_tool_id_idx ON %1$I.ai_usage (tool_id);
    CREATE INDEX IF NOT EXISTS ai_usage_quota_idx ON %1$I.ai_usage (user_id, tool_id, created_at);
    -- The quota ledger: per tool, user (the nil uuid for none) and UTC day, the
    -- number of ai_usage rows, kept by the metering under its lock so a quota
    -- check reads one row instead of counting the day's requests. A write to
    -- ai_usage by anything else empties it (dskv2_ai_ledger_reset), and the
    -- next request recounts.
    CREATE TABLE IF NOT EXISTS %1$I.ai_usage_daily (
        tool_id  bigint NOT NULL,
        user_key uuid NOT NULL,
        day      date NOT NULL,
        used     bigint NOT NULL,
        PRIMARY KEY (tool_id, user_key, day)
    );

    CREATE TABLE IF NOT EXISTS %1$I.admin_logs (
        id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        actor_id         uuid,
        actor_role       text,
        action           text NOT NULL,
        table_name       text,
        record_id        text,
        old_data         jsonb,
        new_data         jsonb,
        details          jsonb,
        txid             bigint,
        source           text NOT NULL DEFAULT 'trigger',  -- legacy, trigger or migration (no CHECK: it would be re-parsed for every audit row)
        created_at       timestamptz DEFAULT now(),
        legacy           jsonb,
        migration_run_id bigint
    );

    CREATE TABLE IF NOT EXISTS %1$I.trending_ideas (
        id               integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        title            text NOT NULL,
        slug             text COLLATE "C" UNIQUE,
        description      text,
        category_id      integer,
        category_label   text,
        score            numeric,
        source           text,
        data             jsonb,
        created_at       timestamptz DEFAULT now(),
        legacy           jsonb,
        migration_run_id bigint
    );
    $ddl$, target);
    -- A run history made before the switch existed knows no 'cutover' mode.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid = pg_catalog.format('%I.migration_runs', target)::pg_catalog.regclass
                      AND c.conname = 'migration_runs_mode_check'
                      AND pg_catalog.pg_get_constraintdef(c.oid) LIKE '%cutover%') THEN
        EXECUTE pg_catalog.format('ALTER TABLE %I.migration_runs DROP CONSTRAINT IF EXISTS migration_runs_mode_check,
            ADD CONSTRAINT migration_runs_mode_check CHECK (mode IN (''atomic'', ''batched'', ''retry'', ''sync'', ''cutover''))', target);
    END IF;

    IF pg_catalog.to_regnamespace('public') IS NOT NULL THEN
        PERFORM @extschema@.dskv2_bump_identities('public', target);
    END IF;
END
$$;

-- Runs one DDL statement that locks a legacy or auth table under a short
-- lock_timeout (dskv2.lock_timeout, default 500ms), retrying with a doubling
-- backoff (dskv2.lock_retries attempts, default 8) instead of queueing behind
-- the application's transactions and blocking them in turn.
CREATE FUNCTION @extschema@.dskv2_ddl_with_retry(statement pg_catalog.text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    attempts pg_catalog.int4 := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_retries', true), '')::pg_catalog.int4, 8);
    timeout pg_catalog.text := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_timeout', true), ''), '500ms');
    previous pg_catalog.text := pg_catalog.current_setting('lock_timeout');
    pause pg_catalog.float8 := 0.05;
BEGIN
    FOR attempt IN 1..GREATEST(attempts, 1) LOOP
        BEGIN
            PERFORM pg_catalog.set_config('lock_timeout', timeout, true);
            EXECUTE statement;
            PERFORM pg_catalog.set_config('lock_timeout', previous, true);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_catalog.set_config('lock_timeout', previous, true);
            IF attempt >= attempts THEN
                RAISE EXCEPTION 'dskv2: could not get the lock for: %', statement
                    USING ERRCODE = '55P03',
                          DETAIL = pg_catalog.format('%s attempts with lock_timeout %s', attempts, timeout),
                          HINT = 'Long transactions hold a conflicting lock; retry when they are done.';
            END IF;
            RAISE NOTICE 'dskv2: lock not available, retrying in % s (attempt %/%)', pause, attempt, attempts;
            PERFORM pg_catalog.pg_sleep(pause);
            pause := LEAST(pause * 2, 5);
        END;
    END LOOP;
END
$$;

--------------------------------------------------------------------------------
-- The mapping (C++ core, src/core/mapping.cpp) as seen from SQL. Internal.
--------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.dskv2_mapping_tables()
RETURNS TABLE (ord pg_catalog.int4, source_table pg_catalog.text, target_table pg_catalog.text,
               parents pg_catalog.text[])
AS 'MODULE_PATHNAME', 'dskv2_mapping_tables'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.dskv2_source_drift(source_table pg_catalog.text, source pg_catalog.name)
RETURNS TABLE (relation pg_catalog.text, column_name pg_catalog.text, kind pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_source_drift'
LANGUAGE C STABLE;

CREATE FUNCTION @extschema@.dskv2_mapping_sql(source_table pg_catalog.text, purpose pg_catalog.text,
                                              source pg_catalog.name, target pg_catalog.name,
                                              run_id pg_catalog.int8 DEFAULT 0,
                                              row_set pg_catalog.text DEFAULT 'pending')
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_mapping_sql'
LANGUAGE C STABLE;

CREATE FUNCTION @extschema@.dskv2_claim_slug(tbl pg_catalog.regclass, slug_column pg_catalog.text,
                                             base pg_catalog.text, fallback pg_catalog.text,
                                             lazy pg_catalog.bool DEFAULT false,
                                             serialize pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_claim_slug'
LANGUAGE C VOLATILE;

CREATE FUNCTION @extschema@.dskv2_session_lock(key1 pg_catalog.int4, key2 pg_catalog.int4, acquire pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_session_lock'
LANGUAGE C VOLATILE STRICT;

CREATE FUNCTION @extschema@.dskv2_in_transaction_block()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_in_transaction_block'
LANGUAGE C VOLATILE;

--------------------------------------------------------------------------------
-- Migration (SPEC §4, §5, §6)
--------------------------------------------------------------------------------

-- The advisory lock key of migrations into one target: (0x64736b32, hashtext(target)).
CREATE FUNCTION @extschema@.dskv2_lock_key(target pg_catalog.name)
RETURNS pg_catalog.int4
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.hashtext(target::pg_catalog.text) $$;

-- Takes the migration lock of `target` (transaction-level for a one-transaction
-- run, session-level for a batched run), or raises 55P03 naming the holder.
CREATE FUNCTION @extschema@.dskv2_take_lock(target pg_catalog.name, session_level pg_catalog.bool)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    got pg_catalog.bool;
    holder pg_catalog.int4;
BEGIN
    IF session_level THEN
        got := @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), true);
    ELSE
        got := pg_catalog.pg_try_advisory_xact_lock(1685285682, @extschema@.dskv2_lock_key(target));
    END IF;
    IF NOT got THEN
        SELECT l.pid INTO holder FROM pg_catalog.pg_locks l
         WHERE l.locktype = 'advisory' AND l.classid = 1685285682
           AND l.objid = @extschema@.dskv2_lock_key(target)::pg_catalog.oid AND l.objsubid = 2 AND l.granted
         LIMIT 1;
        RAISE EXCEPTION 'dskv2: another migration into "%" is running (pid %)', target, holder
            USING ERRCODE = '55P03',
                  HINT = 'Wait for it to finish, or stop it with pg_cancel_backend(pid).';
    END IF;
END
$$;

-- Validates source and target before anything is written: 3F000 for a missing
-- source schema, 42P06 for a target dskv2 may not use, 42P01/42703 for a legacy
-- table or required column that is missing (named).
CREATE FUNCTION @extschema@.dskv2_check_source(source pg_catalog.name, target pg_catalog.name,
                                               tables pg_catalog.text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t pg_catalog.text;
BEGIN
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    PERFORM @extschema@.dskv2_check_target(target, source);
    FOR t IN SELECT m.source_table FROM @extschema@.dskv2_mapping_tables() m
              WHERE tables IS NULL OR m.source_table = ANY (tables) ORDER BY m.ord LOOP
        -- Generating the SQL checks every required table and column.
        PERFORM @extschema@.dskv2_mapping_sql(t, 'mapped', source, target);
    END LOOP;
END
$$;

-- Marks runs whose backend is gone (crash, kill, cancel) as interrupted.
CREATE FUNCTION @extschema@.dskv2_close_stale_runs(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format(
        'UPDATE %I.migration_runs r SET status = ''interrupted'', finished_at = pg_catalog.clock_timestamp()
          WHERE r.status = ''running'' AND r.mode <> ''sync'' AND r.pid <> pg_catalog.pg_backend_pid()
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = r.pid)', target);
END
$$;

-- Migrates one legacy table's rows of one row set ('pending', 'keys' with
-- `keys`, 'staged' with the batch's _seq bounds, 'quarantined') in one
-- statement; returns the counters.
CREATE FUNCTION @extschema@.dskv2_run_mapping(source_table pg_catalog.text, source pg_catalog.name,
                                              target pg_catalog.name, run_id pg_catalog.int8,
                                              row_set pg_catalog.text, keys pg_catalog.text[] DEFAULT NULL,
                                              prepared pg_catalog.text DEFAULT NULL,
                                              seq_from pg_catalog.int8 DEFAULT NULL, seq_to pg_catalog.int8 DEFAULT NULL,
                                              OUT rows_read pg_catalog.int8, OUT rows_written pg_catalog.int8,
                                              OUT rows_merged pg_catalog.int8, OUT rows_rejected pg_catalog.int8,
                                              OUT warnings pg_catalog.int8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
SET lock_timeout = '5s'
AS $$
DECLARE
    -- A batched run generates its statement once per table and passes it in.
    statement pg_catalog.text := COALESCE(prepared,
        @extschema@.dskv2_mapping_sql(source_table, 'migrate', source, target, run_id, row_set));
    previous_work_mem pg_catalog.text;
    previous_suppress pg_catalog.bool;
BEGIN
    -- Legacy tables are read as they are (row_security off, from the SET
    -- clause): a role that legacy RLS would restrict gets an error, never a
    -- silent subset. No JIT compiles the large mapping statements again for
    -- every batch. Both settings are restored when the function returns.
    -- Whole-table sorts and hashes of a one-transaction run stay in memory
    -- (work_mem 256MB, dskv2.work_mem to change it).
    -- A batch keeps the session's work_mem (or dskv2.batch_work_mem): its
    -- memory must not grow with the tables. work_mem is put back below (and by
    -- the rollback on error).
    previous_work_mem := pg_catalog.current_setting('work_mem');
    -- The rows a migration writes are audited as one `migration` row per
    -- table (dskv2_finish_run), not per row: the native audit trigger checks
    -- this backend-local flag, put back below and reset at transaction end.
    previous_suppress := @extschema@.dskv2_audit_suppress(true);
    IF row_set IN ('keys', 'staged') THEN
        PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.batch_work_mem', true), ''),
                                                           previous_work_mem), true);
    ELSE
        PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''),
                                                           '256MB'), true);
    END IF;
    -- V2 writes wait at most dskv2.lock_timeout (default 5s here) for a lock
    -- the application holds; a batched run then retries the batch.
    IF pg_catalog.current_setting('dskv2.lock_timeout', true) <> '' THEN
        PERFORM pg_catalog.set_config('lock_timeout', pg_catalog.current_setting('dskv2.lock_timeout'), true);
    END IF;
    -- Live sync of this table waits while the statement writes (and the
    -- statement for live sync's transactions that wrote the table).
    PERFORM @extschema@.dskv2_lock_mapping(target, source_table);
    IF row_set = 'keys' THEN
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings USING keys;
    ELSIF row_set = 'staged' THEN
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings USING seq_from, seq_to;
    ELSE
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings;
    END IF;
    PERFORM pg_catalog.set_config('work_mem', previous_work_mem, true);
    PERFORM @extschema@.dskv2_audit_suppress(previous_suppress);
END
$$;

-- Raises 55000 when a parent of `source_table` has never been migrated into `target`.
CREATE FUNCTION @extschema@.dskv2_check_parents(source_table pg_catalog.text, target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parent pg_catalog.text;
    done pg_catalog.bool;
BEGIN
    FOR parent IN SELECT unnest(m.parents) FROM @extschema@.dskv2_mapping_tables() m WHERE m.source_table = $1 LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.migration_state s WHERE s.source_table = $1 AND s.migrated_once)', target)
            INTO done USING parent;
        IF NOT done THEN
            RAISE EXCEPTION 'dskv2: cannot migrate %: its parent table % has not been migrated yet', source_table, parent
                USING ERRCODE = '55000',
                      HINT = pg_catalog.format('Run dskv2_migrate_table(%L) first, or dskv2_migrate_all().', parent);
        END IF;
    END LOOP;
END
$$;

-- Records one table's progress in the checkpoint ledger.
CREATE FUNCTION @extschema@.dskv2_record_state(target pg_catalog.name, source_table pg_catalog.text,
                                               run_id pg_catalog.int8, status pg_catalog.text,
                                               rows_total pg_catalog.int8, rows_done pg_catalog.int8,
                                               last_seq pg_catalog.int8, counters pg_catalog.jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format($sql$
        INSERT INTO %I.migration_state AS s (source_table, target_table, run_id, status, rows_total, rows_done,
                                             last_seq, counters, migrated_once, started_at, updated_at)
        SELECT $1, m.target_table, $2, $3, $4, $5, $6, $7, $3 = 'done', pg_catalog.clock_timestamp(),
               pg_catalog.clock_timestamp()
          FROM @extschema@.dskv2_mapping_tables() m WHERE m.source_table = $1
        ON CONFLICT (source_table) DO UPDATE
           SET run_id = EXCLUDED.run_id, status = EXCLUDED.status, rows_total = EXCLUDED.rows_total,
               rows_done = EXCLUDED.rows_done, last_seq = EXCLUDED.last_seq, counters = EXCLUDED.counters,
               migrated_once = s.migrated_once OR EXCLUDED.migrated_once,
               started_at = CASE WHEN s.run_id IS DISTINCT FROM EXCLUDED.run_id THEN EXCLUDED.started_at
                                 ELSE s.started_at END,
               updated_at = EXCLUDED.updated_at$sql$, target)
        USING source_table, run_id, status, rows_total, rows_done, last_seq, counters;
END
$$;

CREATE FUNCTION @extschema@.dskv2_start_run(target pg_catalog.name, mode pg_catalog.text, params pg_catalog.jsonb)
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run_id pg_catalog.int8;
BEGIN
    PERFORM @extschema@.dskv2_close_stale_runs(target);
    EXECUTE pg_catalog.format('INSERT INTO %I.migration_runs (mode, params) VALUES ($1, $2) RETURNING id', target)
        INTO run_id USING mode, params;
    RETURN run_id;
END
$$;

CREATE FUNCTION @extschema@.dskv2_finish_run(target pg_catalog.name, run_id pg_catalog.int8, status pg_catalog.text,
                                             report pg_catalog.jsonb, error pg_catalog.text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor pg_catalog.text := NULLIF(pg_catalog.current_setting('dskv2.actor', true), '');
BEGIN
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = $2, report = $3, error = $4,
                                      finished_at = pg_catalog.clock_timestamp() WHERE id = $1', target)
        USING run_id, status, report, error;
    -- The audit trail of a completed run: one `migration` row per table it
    -- read rows of, after the legacy admin_logs rows (the last table migrated).
    IF status = 'completed' THEN
        EXECUTE pg_catalog.format(
            'INSERT INTO %I.admin_logs (actor_id, actor_role, action, table_name, details, txid, source)
             SELECT $1, current_user::pg_catalog.text, ''MIGRATE'', r.entry->>''target_table'',
                    r.entry || pg_catalog.jsonb_build_object(''run_id'', $2, ''mode'',
                        (SELECT m.mode FROM %I.migration_runs m WHERE m.id = $2)),
                    pg_catalog.txid_current(), ''migration''
               FROM pg_catalog.jsonb_array_elements($3) WITH ORDINALITY AS r (entry, ord)
              WHERE (r.entry->>''rows_read'')::pg_catalog.int8 > 0
              ORDER BY r.ord', target, target)
            USING CASE WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       THEN actor::pg_catalog.uuid END,
                  run_id, report;
    END IF;
END
$$;

-- One-transaction migration of the given legacy tables (all when NULL), in
-- report order. Shared by dskv2_migrate_all, dskv2_migrate_table and dskv2_retry_rejects.
CREATE FUNCTION @extschema@.dskv2_migrate_tables(source pg_catalog.name, target pg_catalog.name,
                                                 tables pg_catalog.text[], mode pg_catalog.text)
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m record;
    run_id pg_catalog.int8;
    started pg_catalog.timestamptz;
    counters record;
    report pg_catalog.jsonb := '[]';
    fresh pg_catalog.bool;
BEGIN
    PERFORM @extschema@.dskv2_take_lock(target, false);
    PERFORM @extschema@.dskv2_check_source(source, target, tables);
    fresh := pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL;
    -- A new target gets its foreign keys after the load (same transaction).
    PERFORM @extschema@.dskv2_create_tables(target);
    IF NOT fresh THEN
        PERFORM @extschema@.dskv2_add_constraints(target);
    END IF;
    PERFORM @extschema@.dskv2_bump_identities(source, target);
    run_id := @extschema@.dskv2_start_run(target, mode,
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'tables', tables));

    FOR m IN SELECT t.* FROM @extschema@.dskv2_mapping_tables() t
              WHERE tables IS NULL OR t.source_table = ANY (tables) ORDER BY t.ord LOOP
        IF mode <> 'retry' THEN
            PERFORM @extschema@.dskv2_check_parents(m.source_table, target);
        END IF;
        RAISE NOTICE 'dskv2: % -> %.% ...', m.source_table, target, m.target_table;
        started := pg_catalog.clock_timestamp();
        SELECT * INTO counters FROM @extschema@.dskv2_run_mapping(
            m.source_table, source, target, run_id, CASE WHEN mode = 'retry' THEN 'quarantined' ELSE 'pending' END);
        source_table := m.source_table;
        target_table := m.target_table;
        rows_read := counters.rows_read;
        rows_written := counters.rows_written;
        rows_merged := counters.rows_merged;
        rows_rejected := counters.rows_rejected;
        warnings := counters.warnings;
        duration_ms := round((extract(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::pg_catalog.numeric, 3);
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'done', rows_read, rows_read, 0,
            pg_catalog.jsonb_build_object('rows_read', rows_read, 'rows_written', rows_written,
                                          'rows_merged', rows_merged, 'rows_rejected', rows_rejected,
                                          'warnings', warnings));
        RAISE NOTICE 'dskv2: % done: % read, % written, % merged, % rejected, % warnings',
            m.source_table, rows_read, rows_written, rows_merged, rows_rejected, warnings;
        report := report || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
            'source_table', source_table, 'target_table', target_table, 'rows_read', rows_read,
            'rows_written', rows_written, 'rows_merged', rows_merged, 'rows_rejected', rows_rejected,
            'warnings', warnings));
        RETURN NEXT;
    END LOOP;
    IF fresh THEN
        RAISE NOTICE 'dskv2: adding foreign keys and indexes';
        PERFORM @extschema@.dskv2_add_constraints(target);
    END IF;
    -- A target created by this transaction gets its triggers once loaded (no
    -- one else can see it before); an existing one has them already.
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_finish_run(target, run_id, 'completed', report);
END
$$;

CREATE FUNCTION @extschema@.dskv2_migrate_all(source pg_catalog.name DEFAULT 'public',
                                              target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.dskv2_migrate_tables(source, target, NULL, 'atomic') $$;

-- The legacy table name when the mapping knows it, else 22023.
CREATE FUNCTION @extschema@.dskv2_known_table(name pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF name IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.dskv2_mapping_tables() m WHERE m.source_table = name) THEN
        RAISE EXCEPTION 'dskv2: unknown legacy table "%"', name USING ERRCODE = '22023',
            HINT = 'One of: ' || (SELECT pg_catalog.string_agg(m.source_table, ', ' ORDER BY m.ord)
                                    FROM @extschema@.dskv2_mapping_tables() m);
    END IF;
    RETURN name;
END
$$;

CREATE FUNCTION @extschema@.dskv2_migrate_table(source_table pg_catalog.text,
                                                source pg_catalog.name DEFAULT 'public',
                                                target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.dskv2_migrate_tables($2, $3, ARRAY[@extschema@.dskv2_known_table($1)], 'atomic') $$;

CREATE FUNCTION @extschema@.dskv2_retry_rejects(source pg_catalog.name DEFAULT 'public',
                                                target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM @extschema@.dskv2_migrate_tables(source, target, NULL, 'retry') $$;

-- The dry run: what would move, what is wrong. Reads like a migration (legacy
-- RLS off), writes nothing, and reports drift instead of raising.
CREATE FUNCTION @extschema@.dskv2_plan(source pg_catalog.name DEFAULT 'public',
                                       target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, source_rows pg_catalog.int8,
               missing_columns pg_catalog.text[], unmapped_columns pg_catalog.text[],
               predicted_rejects pg_catalog.int8, reject_reasons pg_catalog.jsonb, notes pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    m record;
    d record;
    n pg_catalog.int8;
    pending pg_catalog.int8;
    blocking pg_catalog.text[];
    relation_name pg_catalog.text;
    qualified pg_catalog.text;
BEGIN
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    PERFORM @extschema@.dskv2_check_target(target, source);
    FOR m IN SELECT t.* FROM @extschema@.dskv2_mapping_tables() t ORDER BY t.ord LOOP
        source_table := m.source_table;
        target_table := m.target_table;
        missing_columns := '{}';
        unmapped_columns := '{}';
        blocking := '{}';
        source_rows := NULL;
        predicted_rejects := NULL;
        reject_reasons := NULL;
        notes := NULL;
        FOR d IN SELECT * FROM @extschema@.dskv2_source_drift(m.source_table, source) LOOP
            qualified := CASE WHEN d.relation = 'auth.users' THEN 'auth.users'
                              ELSE pg_catalog.format('%I.%I', source, d.relation) END;
            CASE d.kind
            WHEN 'missing_table' THEN
                blocking := blocking || pg_catalog.format('legacy table %s is missing', qualified);
            WHEN 'missing_required' THEN
                missing_columns := missing_columns || (d.relation || '.' || d.column_name);
                blocking := blocking || pg_catalog.format('required column %s.%s is missing', d.relation, d.column_name);
            WHEN 'missing_optional' THEN
                missing_columns := missing_columns || (d.relation || '.' || d.column_name);
            WHEN 'unknown' THEN
                EXECUTE pg_catalog.format('SELECT pg_catalog.count(%I) FROM %s', d.column_name, qualified) INTO n;
                unmapped_columns := unmapped_columns
                    || pg_catalog.format('%s.%s (%s non-NULL)', d.relation, d.column_name, n);
            END CASE;
        END LOOP;
        IF pg_catalog.cardinality(blocking) > 0 THEN
            notes := 'cannot migrate: ' || pg_catalog.array_to_string(blocking, '; ');
        ELSE
            relation_name := CASE WHEN m.source_table = 'auth.users' THEN 'auth.users'
                                  ELSE pg_catalog.format('%I.%I', source, m.source_table) END;
            EXECUTE 'SELECT pg_catalog.count(*) FROM ' || relation_name INTO source_rows;
            BEGIN
                EXECUTE @extschema@.dskv2_mapping_sql(m.source_table, 'plan', source, target)
                    INTO pending, predicted_rejects, reject_reasons;
                notes := pg_catalog.format('%s rows to migrate, %s already migrated or quarantined',
                                           pending, GREATEST(source_rows - pending, 0));
                IF m.source_table = 'auth.users' THEN
                    notes := notes || ' (counts include profiles without an auth user)';
                END IF;
                IF pg_catalog.cardinality(unmapped_columns) > 0 THEN
                    notes := notes || '; unmapped columns are kept in the V2 rows'' legacy jsonb';
                END IF;
            EXCEPTION WHEN OTHERS THEN
                notes := 'cannot predict rejects: ' || SQLERRM;
            END;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- A batched run's stage for one legacy table: pg_temp.dskv2_stage, the pending
-- rows mapped in one set-based pass (as a one-transaction run maps them),
-- numbered in processing order and indexed by that number.
CREATE FUNCTION @extschema@.dskv2_build_stage(source_table pg_catalog.text, source pg_catalog.name,
                                              target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
BEGIN
    -- A whole-table statement: its sorts and hashes are bounded by
    -- dskv2.stage_work_mem (default 8MB), not by the table's size.
    PERFORM pg_catalog.set_config('work_mem',
        COALESCE(NULLIF(pg_catalog.current_setting('dskv2.stage_work_mem', true), ''), '8MB'), true);
    EXECUTE 'CREATE TEMPORARY TABLE dskv2_stage AS '
        || @extschema@.dskv2_mapping_sql(source_table, 'stage', source, target);
    -- The batches read it by _seq ranges (the planner sizes it from its pages).
    CREATE INDEX ON pg_temp.dskv2_stage (_seq);
END
$$;

-- Batched, resumable migration (SPEC §5): commits every batch together with
-- its checkpoint, so a crash, cancel or kill loses at most one batch, and the
-- next CALL resumes. No SET clause and not SECURITY DEFINER (either forbids
-- COMMIT): it pins search_path itself in every transaction it runs and
-- qualifies every name.
CREATE PROCEDURE @extschema@.dskv2_migrate(source pg_catalog.name DEFAULT 'public',
                                           target pg_catalog.name DEFAULT 'dropskills_v2',
                                           batch_size pg_catalog.int4 DEFAULT 10000)
LANGUAGE plpgsql
AS $$
DECLARE
    m record;
    st record;
    c record;
    run_id pg_catalog.int8;
    batch_sql pg_catalog.text;
    staged pg_catalog.int8;
    done_before pg_catalog.int8;
    last_seq pg_catalog.int8;
    total pg_catalog.int8;
    acc pg_catalog.jsonb;
    report pg_catalog.jsonb := '[]';
    batches pg_catalog.int4 := 0;
    fail_after pg_catalog.int4;
    lock_retries pg_catalog.int4;
    pause_ms pg_catalog.int4;
    notice_every pg_catalog.float8;
    last_notice pg_catalog.timestamptz;
    table_started pg_catalog.timestamptz;
    rate pg_catalog.float8;
    failed pg_catalog.bool;
    e_state pg_catalog.text;
    e_message pg_catalog.text;
    e_detail pg_catalog.text;
    e_hint pg_catalog.text;
    sync_run pg_catalog.int8;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF @extschema@.dskv2_in_transaction_block() THEN
        RAISE EXCEPTION 'dskv2: CALL dskv2_migrate must run as a statement of its own, outside a transaction block'
            USING ERRCODE = '2D000',
                  HINT = 'It commits every batch. Run it without BEGIN, or use dskv2_migrate_all() for one transaction.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'dskv2: batch_size must be a positive integer, not %', batch_size USING ERRCODE = '22023';
    END IF;
    fail_after := NULLIF(pg_catalog.current_setting('dskv2.fail_after_batches', true), '')::pg_catalog.int4;
    pause_ms := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.batch_pause_ms', true), '')::pg_catalog.int4, 0);
    notice_every := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.progress_interval', true), '')::pg_catalog.float8, 5);
    lock_retries := GREATEST(COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_retries', true), '')::pg_catalog.int4, 8), 1);

    PERFORM @extschema@.dskv2_take_lock(target, true);
    PERFORM @extschema@.dskv2_check_source(source, target);
    -- A target this run creates gets its foreign keys once loaded (at the end
    -- of the run that completes it); an existing one keeps them throughout.
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL THEN
        PERFORM @extschema@.dskv2_create_tables(target);
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                   WHERE con.conrelid = pg_catalog.to_regclass(pg_catalog.format('%I.packs', target))
                     AND con.contype = 'f') THEN
        PERFORM @extschema@.dskv2_create_schema(target);
    ELSE
        PERFORM @extschema@.dskv2_create_tables(target);
    END IF;
    PERFORM @extschema@.dskv2_bump_identities(source, target);
    run_id := @extschema@.dskv2_start_run(target, 'batched',
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'batch_size', batch_size));
    COMMIT;

    FOR m IN SELECT t.* FROM @extschema@.dskv2_mapping_tables() t ORDER BY t.ord LOOP
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        EXECUTE pg_catalog.format('SELECT s.* FROM %I.migration_state s WHERE s.source_table = $1', target)
            INTO st USING m.source_table;
        IF st.status IS NOT DISTINCT FROM 'running' THEN
            -- Resume: what the interrupted run committed stays; the rest is staged again.
            done_before := st.rows_done;
            acc := st.counters;
        ELSE
            done_before := 0;
            acc := '{"rows_read": 0, "rows_written": 0, "rows_merged": 0, "rows_rejected": 0, "warnings": 0}';
        END IF;
        -- Stage: the pending rows mapped once, set-based, numbered in processing
        -- order, in a temporary table (no WAL; rebuilt from legacy on resume).
        DROP TABLE IF EXISTS pg_temp.dskv2_stage;
        PERFORM @extschema@.dskv2_build_stage(m.source_table, source, target);
        SELECT pg_catalog.count(*) INTO staged FROM pg_temp.dskv2_stage;
        total := done_before + staged;
        last_seq := 0;
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total, done_before, 0, acc);
        IF done_before > 0 THEN
            RAISE NOTICE 'dskv2: resuming % at row % of %', m.source_table, done_before, total;
        END IF;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        batch_sql := @extschema@.dskv2_mapping_sql(m.source_table, 'migrate', source, target, run_id, 'staged');
        table_started := pg_catalog.clock_timestamp();
        last_notice := table_started;

        LOOP
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            EXIT WHEN last_seq >= staged;
            failed := false;
            FOR attempt IN 1..lock_retries LOOP
            BEGIN
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'staged',
                                                                   NULL, batch_sql, last_seq, last_seq + batch_size);
                failed := false;
                EXIT;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                        e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
                failed := true;
                -- A lock the application holds on a V2 table: back off, retry the batch.
                EXIT WHEN e_state <> '55P03' OR attempt >= lock_retries;
                RAISE NOTICE 'dskv2: % batch waits for a lock, retrying (attempt %/%)', m.source_table, attempt, lock_retries;
                PERFORM pg_catalog.pg_sleep(LEAST(0.1 * 2 ^ (attempt - 1), 5));
            END;
            END LOOP;
            IF NOT failed THEN
                acc := pg_catalog.jsonb_build_object(
                    'rows_read', (acc->>'rows_read')::pg_catalog.int8 + c.rows_read,
                    'rows_written', (acc->>'rows_written')::pg_catalog.int8 + c.rows_written,
                    'rows_merged', (acc->>'rows_merged')::pg_catalog.int8 + c.rows_merged,
                    'rows_rejected', (acc->>'rows_rejected')::pg_catalog.int8 + c.rows_rejected,
                    'warnings', (acc->>'warnings')::pg_catalog.int8 + c.warnings);
                last_seq := LEAST(last_seq + batch_size, staged);
                -- The checkpoint commits with the batch it describes.
                PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total,
                                                       done_before + last_seq, last_seq, acc);
            ELSE
                PERFORM @extschema@.dskv2_finish_run(target, run_id, 'failed', report,
                    pg_catalog.format('%s: %s (table %s, after row %s)', e_state, e_message, m.source_table,
                                      done_before + last_seq));
                PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
                COMMIT;
                RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, DETAIL = COALESCE(e_detail, ''),
                                      HINT = COALESCE(e_hint, 'Fix the cause and CALL dskv2_migrate again: it resumes.');
            END IF;
            COMMIT;
            batches := batches + 1;
            IF pg_catalog.clock_timestamp() - last_notice >= pg_catalog.make_interval(secs => notice_every)
               OR last_seq >= staged THEN
                rate := last_seq / GREATEST(extract(epoch FROM pg_catalog.clock_timestamp() - table_started), 0.001);
                RAISE NOTICE 'dskv2: % %/% rows (% %%), % rows/s, ETA %', m.source_table, done_before + last_seq, total,
                    round(100.0 * (done_before + last_seq) / GREATEST(total, 1), 1), round(rate::pg_catalog.numeric),
                    pg_catalog.make_interval(secs => round(((staged - last_seq) / GREATEST(rate, 0.001))::pg_catalog.numeric)::pg_catalog.float8);
                last_notice := pg_catalog.clock_timestamp();
            END IF;
            -- Fault injection for tests: stop as a crash would, after N committed batches.
            IF fail_after IS NOT NULL AND batches >= fail_after THEN
                RAISE EXCEPTION 'dskv2: injected fault after % batches (dskv2.fail_after_batches)', batches
                    USING ERRCODE = '57014';
            END IF;
            -- Be gentle with a busy server: a configurable pause, and no competing
            -- with autovacuum on the table being written.
            IF pause_ms > 0 THEN
                PERFORM pg_catalog.pg_sleep(pause_ms / 1000.0);
            END IF;
            FOR i IN 1..600 LOOP
                EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_vacuum v
                                       WHERE v.relid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, m.target_table)));
                PERFORM pg_catalog.pg_sleep(0.1);
            END LOOP;
        END LOOP;

        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'done', total, total, last_seq, acc);
        DROP TABLE IF EXISTS pg_temp.dskv2_stage;
        report := report || pg_catalog.jsonb_build_array(acc || pg_catalog.jsonb_build_object(
            'source_table', m.source_table, 'target_table', m.target_table));
        RAISE NOTICE 'dskv2: % done: % read, % written, % merged, % rejected, % warnings', m.source_table,
            acc->>'rows_read', acc->>'rows_written', acc->>'rows_merged', acc->>'rows_rejected', acc->>'warnings';
        COMMIT;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    -- Live sync turned on while this run went (dskv2_sync_enable holds this
    -- lock until it commits): rows changed after they were staged, or added
    -- after, are caught up, one table per transaction. Without it, the lock
    -- makes a sync_enable wait for the end of this run, whose rows it then
    -- catches up itself.
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1685285684, @extschema@.dskv2_lock_key(target));
    sync_run := @extschema@.dskv2_sync_run(source, target);
    IF sync_run IS NOT NULL THEN
        FOR m IN SELECT t.* FROM @extschema@.dskv2_mapping_tables() t ORDER BY t.ord LOOP
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            PERFORM pg_catalog.count(*) FROM @extschema@.dskv2_sync_catch_up(source, target, sync_run, true,
                                                                             ARRAY[m.source_table]);
            COMMIT;
        END LOOP;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    END IF;
    PERFORM @extschema@.dskv2_add_constraints(target);
    -- Like the foreign keys, the triggers of a target this run created come
    -- once it is loaded; an existing target had them (dskv2_create_schema above).
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_finish_run(target, run_id, 'completed', report);
    PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
    COMMIT;
END
$$;

-- Progress of the running or last migration into `target`, per legacy table,
-- from committed data: readable from another session.
CREATE FUNCTION @extschema@.dskv2_progress_of(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (table_name pg_catalog.text, rows_done pg_catalog.int8, rows_total pg_catalog.int8,
               percent pg_catalog.numeric, rows_per_second pg_catalog.numeric, eta pg_catalog.interval)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.to_regclass(pg_catalog.format('%I.migration_state', target)) IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format($sql$
        SELECT s.source_table, s.rows_done, s.rows_total,
               round(100.0 * s.rows_done / GREATEST(s.rows_total, 1), 1),
               round((s.rows_done / GREATEST(extract(epoch FROM s.updated_at - s.started_at), 0.001))::pg_catalog.numeric),
               CASE WHEN s.status = 'done' OR s.rows_done >= s.rows_total THEN '0'::pg_catalog.interval
                    WHEN s.rows_done = 0 THEN NULL
                    ELSE pg_catalog.make_interval(secs => ((s.rows_total - s.rows_done)
                         * extract(epoch FROM s.updated_at - s.started_at) / s.rows_done)::pg_catalog.float8) END
          FROM %I.migration_state s
          JOIN @extschema@.dskv2_mapping_tables() m ON m.source_table = s.source_table
         ORDER BY m.ord$sql$, target);
END
$$;

CREATE VIEW @extschema@.dskv2_progress WITH (security_invoker = true) AS
    SELECT * FROM @extschema@.dskv2_progress_of('dropskills_v2');

--------------------------------------------------------------------------------
-- Verification (SPEC §5)
--------------------------------------------------------------------------------

-- One verification result (internal).
CREATE TYPE @extschema@.dskv2_check AS (check_name pg_catalog.text, table_name pg_catalog.text, ok pg_catalog.bool,
                                        expected pg_catalog.int8, actual pg_catalog.int8, detail pg_catalog.text,
                                        keys pg_catalog.text[]);

-- Proves V2 = mapping(legacy): every check in ONE statement, so they all see
-- one snapshot whatever the caller's isolation level. Reads only: it runs on a
-- read-only standby too; when the database is writable, the differing keys are
-- also kept in <target>.verify_diffs.
CREATE FUNCTION @extschema@.dskv2_verify_integrity(source pg_catalog.name DEFAULT 'public',
                                                   target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (check_name pg_catalog.text, table_name pg_catalog.text, ok pg_catalog.bool,
               expected pg_catalog.int8, actual pg_catalog.int8, detail pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    r record;
    diffs pg_catalog.text[] := '{}';
    diff_checks pg_catalog.text[] := '{}';
    diff_tables pg_catalog.text[] := '{}';
    statement pg_catalog.text;
    results @extschema@.dskv2_check[];
BEGIN
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    IF NOT @extschema@.dskv2_check_target(target, source) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000',
            HINT = 'Migrate first: SELECT * FROM dskv2_migrate_all();';
    END IF;
    statement := @extschema@.dskv2_mapping_sql('auth.users', 'verify', source, target);
    PERFORM pg_catalog.set_config('work_mem',
        COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''), '256MB'), true);
    -- One plain statement (not a cursor) collects every check.
    EXECUTE 'SELECT pg_catalog.array_agg(ROW(v.*)::@extschema@.dskv2_check) FROM (' || statement
            || ') v (check_name, table_name, ok, expected, actual, detail, keys)' INTO results;
    FOR r IN SELECT * FROM pg_catalog.unnest(results) LOOP
        check_name := r.check_name;
        table_name := r.table_name;
        ok := r.ok;
        expected := r.expected;
        actual := r.actual;
        detail := r.detail;
        IF r.keys IS NOT NULL THEN
            FOR i IN 1..pg_catalog.cardinality(r.keys) LOOP
                diffs := diffs || r.keys[i];
                diff_checks := diff_checks || check_name;
                diff_tables := diff_tables || table_name;
            END LOOP;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF pg_catalog.cardinality(diffs) > 0 AND NOT pg_catalog.pg_is_in_recovery()
       AND pg_catalog.current_setting('transaction_read_only') = 'off' THEN
        EXECUTE pg_catalog.format('INSERT INTO %I.verify_diffs (check_name, table_name, key)
                                   SELECT * FROM unnest($1, $2, $3)', target)
            USING diff_checks, diff_tables, diffs;
    END IF;
END
$$;

--------------------------------------------------------------------------------
-- Rollback (SPEC §5, §6)
--------------------------------------------------------------------------------

-- Objects outside `target` that depend on something inside it (a view, a
-- foreign key, a default), which DROP SCHEMA ... CASCADE would take with it.
CREATE FUNCTION @extschema@.dskv2_outside_dependents(target pg_catalog.name)
RETURNS TABLE (dependent pg_catalog.text, depends_on pg_catalog.text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH inside AS (
        SELECT c.oid FROM pg_catalog.pg_class c
         WHERE c.relnamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
        UNION ALL
        SELECT t.oid FROM pg_catalog.pg_type t
         WHERE t.typnamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
        UNION ALL
        SELECT p.oid FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
    ),
    deps AS (
        SELECT d.classid, d.objid, d.refobjid
          FROM pg_catalog.pg_depend d
         WHERE d.refobjid IN (SELECT oid FROM inside) AND d.deptype IN ('n', 'a')
    ),
    owners AS (
        -- The relation (or function) each dependent object belongs to.
        SELECT deps.refobjid,
               CASE deps.classid
                    WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN
                        (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = deps.objid)
                    WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
                        (SELECT co.conrelid FROM pg_catalog.pg_constraint co WHERE co.oid = deps.objid)
                    WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN
                        (SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = deps.objid)
                    WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN
                        (SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE tg.oid = deps.objid)
                    WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN deps.objid
               END AS owner_rel,
               CASE WHEN deps.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN deps.objid END AS owner_proc
          FROM deps
    )
    SELECT DISTINCT
           COALESCE(o.owner_rel::pg_catalog.regclass::pg_catalog.text, o.owner_proc::pg_catalog.regprocedure::pg_catalog.text),
           o.refobjid::pg_catalog.regclass::pg_catalog.text
      FROM owners o
      LEFT JOIN pg_catalog.pg_class oc ON oc.oid = o.owner_rel
      LEFT JOIN pg_catalog.pg_proc op ON op.oid = o.owner_proc
     WHERE COALESCE(oc.relnamespace, op.pronamespace) IS NOT NULL
       AND COALESCE(oc.relnamespace, op.pronamespace) <> pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
$$;

-- The target a dskv2 trigger writes into: its first argument (pg_trigger.tgargs
-- holds the arguments NUL-terminated). Internal.
CREATE FUNCTION @extschema@.dskv2_trigger_target(tgargs pg_catalog.bytea)
RETURNS pg_catalog.text
LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.split_part(pg_catalog.encode(tgargs, 'escape'), E'\\000', 1) $$;

CREATE FUNCTION @extschema@.dskv2_rollback(target pg_catalog.name, confirm pg_catalog.text)
RETURNS TABLE (object pg_catalog.text, action pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dependents pg_catalog.text;
    r record;
    n pg_catalog.int8;
    dropped pg_catalog.text[] := '{}';
    actions pg_catalog.text[] := '{}';
    locked pg_catalog.bool := false;
    rels pg_catalog.text;
BEGIN
    IF confirm IS DISTINCT FROM target::pg_catalog.text THEN
        RAISE EXCEPTION 'dskv2: rollback of "%" needs confirm => ''%''', target, target
            USING ERRCODE = '22023',
                  HINT = 'Pass the target schema''s name as confirm: it drops that schema and every row in it.';
    END IF;
    IF NOT @extschema@.dskv2_check_target(target) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000';
    END IF;
    -- Not while a migration writes into it.
    PERFORM @extschema@.dskv2_take_lock(target, false);
    SELECT pg_catalog.string_agg(pg_catalog.format('%s (depends on %s)', d.dependent, d.depends_on), ', '
                                 ORDER BY d.dependent)
      INTO dependents FROM @extschema@.dskv2_outside_dependents(target) d;
    IF dependents IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: objects outside "%" depend on it: %', target, dependents
            USING ERRCODE = '55000',
                  HINT = 'Drop or change them first: the rollback drops only the target schema.';
    END IF;
    -- First, every dskv2 trigger outside the target that writes into it (its
    -- first argument names the target): live sync and guards on legacy tables,
    -- or a trigger a DBA attached by hand. Legacy writes must not start failing
    -- once the target is gone. Each DROP TRIGGER locks its table briefly (short
    -- lock_timeout, retries).
    FOR r IN SELECT t.tgrelid::pg_catalog.regclass AS rel, t.tgname
               FROM pg_catalog.pg_trigger t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                          AND d.objid = t.tgfoid AND d.deptype = 'e'
               JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
              WHERE c.relnamespace <> pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
                AND t.tgnargs > 0
                AND @extschema@.dskv2_trigger_target(t.tgargs) = target
              ORDER BY 1, 2 LOOP
        IF NOT locked THEN
            -- All those tables at once (see dskv2_sync_disable).
            SELECT pg_catalog.string_agg(DISTINCT t.tgrelid::pg_catalog.regclass::pg_catalog.text, ', ') INTO rels
              FROM pg_catalog.pg_trigger t
              JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                         AND d.objid = t.tgfoid AND d.deptype = 'e'
              JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
             WHERE c.relnamespace <> pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
               AND t.tgnargs > 0
               AND @extschema@.dskv2_trigger_target(t.tgargs) = target;
            PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN ACCESS EXCLUSIVE MODE');
            locked := true;
        END IF;
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
        dropped := dropped || pg_catalog.format('%s %I', r.rel, r.tgname);
        actions := actions || 'dropped trigger'::pg_catalog.text;
    END LOOP;
    -- What goes, reported before it goes (the run history goes with the schema).
    FOR r IN SELECT c.oid, c.relname, c.relkind FROM pg_catalog.pg_class c
              WHERE c.relnamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
                AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              ORDER BY c.relkind, c.relname LOOP
        IF r.relkind IN ('r', 'p', 'm') THEN
            EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %I.%I', target, r.relname) INTO n;
            dropped := dropped || pg_catalog.format('%I.%I', target, r.relname);
            actions := actions || pg_catalog.format('dropped table (%s rows)', n);
        ELSE
            dropped := dropped || pg_catalog.format('%I.%I', target, r.relname);
            actions := actions || CASE r.relkind WHEN 'S' THEN 'dropped sequence' WHEN 'v' THEN 'dropped view'
                                                 ELSE 'dropped relation' END;
        END IF;
    END LOOP;
    -- users.id references auth.users: dropping that key locks auth.users briefly
    -- (SHARE ROW EXCLUSIVE), hence the short lock_timeout and retries.
    PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP SCHEMA %I CASCADE', target));
    dropped := dropped || pg_catalog.quote_ident(target);
    actions := actions || 'dropped schema'::pg_catalog.text;
    -- The admin helper's schema, when dskv2 made it.
    IF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(
           @extschema@.dskv2_private_schema(target))), 'pg_namespace') IS NOT DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', @extschema@.dskv2_private_schema(target));
        dropped := dropped || pg_catalog.quote_ident(@extschema@.dskv2_private_schema(target));
        actions := actions || 'dropped schema'::pg_catalog.text;
    END IF;
    FOR i IN 1..pg_catalog.cardinality(dropped) LOOP
        object := dropped[i];
        action := actions[i];
        RAISE NOTICE 'dskv2: %: %', object, action;
        RETURN NEXT;
    END LOOP;
END
$$;

--------------------------------------------------------------------------------
-- Security (SPEC §8): row level security, grants, policies, the admin helper
--------------------------------------------------------------------------------

-- The schema that holds the admin helper of `target`: <target>_private (not
-- exposed by the API, marked like the target).
CREATE FUNCTION @extschema@.dskv2_private_schema(target pg_catalog.name)
RETURNS pg_catalog.name
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (target || '_private')::pg_catalog.name $$;

-- The policies of `target` (internal): one row per policy.
--   table, policy name, command, roles, USING, WITH CHECK
-- `$admin` stands for the admin helper call, `$uid` for (select auth.uid()).
CREATE FUNCTION @extschema@.dskv2_policies()
RETURNS TABLE (table_name pg_catalog.text, policy_name pg_catalog.text, command pg_catalog.text,
               roles pg_catalog.text, using_expr pg_catalog.text, check_expr pg_catalog.text)
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    VALUES
    ('packs', 'packs_read_published', 'SELECT', 'anon, authenticated', 'status = ''published''', NULL),
    ('packs', 'packs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('packs', 'packs_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('packs', 'packs_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('packs', 'packs_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('categories', 'categories_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('tags', 'tags_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('pack_tags', 'pack_tags_read', 'SELECT', 'anon, authenticated', 'true', NULL),
    ('samples', 'samples_read_published', 'SELECT', 'anon, authenticated',
     'EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = ''published'')', NULL),
    ('samples', 'samples_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('pack_stats', 'pack_stats_read_published', 'SELECT', 'anon, authenticated',
     'EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = ''published'')', NULL),
    ('pack_stats', 'pack_stats_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('users', 'users_read_own', 'SELECT', 'authenticated', 'id = $uid', NULL),
    ('users', 'users_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('users', 'users_update_own', 'UPDATE', 'authenticated', 'id = $uid', 'id = $uid'),
    ('users', 'users_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('users', 'users_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('users', 'users_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('favorites', 'favorites_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('favorites', 'favorites_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('favorites', 'favorites_insert_own', 'INSERT', 'authenticated', NULL, 'user_id = $uid'),
    ('favorites', 'favorites_delete_own', 'DELETE', 'authenticated', 'user_id = $uid', NULL),
    ('user_packs', 'user_packs_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('user_packs', 'user_packs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('user_packs', 'user_packs_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('user_packs', 'user_packs_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('user_packs', 'user_packs_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('ai_tools', 'ai_tools_read_active', 'SELECT', 'authenticated', 'is_active', NULL),
    ('ai_tools', 'ai_tools_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('ai_tools', 'ai_tools_admin_insert', 'INSERT', 'authenticated', NULL, '$admin'),
    ('ai_tools', 'ai_tools_admin_update', 'UPDATE', 'authenticated', '$admin', '$admin'),
    ('ai_tools', 'ai_tools_admin_delete', 'DELETE', 'authenticated', '$admin', NULL),
    ('ai_usage', 'ai_usage_read_own', 'SELECT', 'authenticated', 'user_id = $uid', NULL),
    ('ai_usage', 'ai_usage_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('trending_ideas', 'trending_ideas_read', 'SELECT', 'authenticated', 'true', NULL),
    ('admin_logs', 'admin_logs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_runs', 'migration_runs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_rejects', 'migration_rejects_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_state', 'migration_state_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('migration_merges', 'migration_merges_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('verify_diffs', 'verify_diffs_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('trigger_settings', 'trigger_settings_admin_read', 'SELECT', 'authenticated', '$admin', NULL),
    ('ai_usage_daily', 'ai_usage_daily_admin_read', 'SELECT', 'authenticated', '$admin', NULL)
    -- admin "all" on the writable content tables:
    UNION ALL
    SELECT t, t || '_admin_' || lower(c), c, 'authenticated',
           CASE WHEN c = 'INSERT' THEN NULL ELSE '$admin' END, CASE WHEN c IN ('INSERT', 'UPDATE') THEN '$admin' END
      FROM unnest(ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats', 'trending_ideas']) t,
           unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) c
$$;

-- Row level security, grants and policies of `target` (SPEC §8). Idempotent,
-- and cheap when all is in place: grants are set again (no table lock), while
-- RLS, policies and indexes are created only when missing, under a short
-- lock_timeout with retries (they lock the table), so a catch-up run never
-- queues behind the application.
-- dskv2_pack_file_url, the one function for API users (what it returns is
-- decided inside, per caller): EXECUTE for those of anon, authenticated and
-- service_role that exist. At CREATE EXTENSION and by dskv2_apply_security
-- (roles created later). Internal.
CREATE FUNCTION @extschema@.dskv2_grant_pack_file_url()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    api_role pg_catalog.text;
BEGIN
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
            EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.dskv2_pack_file_url(pg_catalog.uuid, pg_catalog.name) TO %I',
                                      api_role);
        END IF;
    END LOOP;
END
$$;

CREATE FUNCTION @extschema@.dskv2_apply_security(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    t pg_catalog.text;
    p record;
    private pg_catalog.name := @extschema@.dskv2_private_schema(target);
    supabase pg_catalog.bool;
    admin_call pg_catalog.text;
    uid_call pg_catalog.text := '(SELECT auth.uid())';
    expr_using pg_catalog.text;
    expr_check pg_catalog.text;
    all_tables pg_catalog.text[] := ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'favorites',
        'user_packs', 'pack_stats', 'ai_tools', 'ai_usage', 'admin_logs', 'trending_ideas', 'migration_runs',
        'migration_rejects', 'migration_state', 'migration_merges', 'verify_diffs', 'trigger_settings',
        'ai_usage_daily'];
    api_role pg_catalog.text;
BEGIN
    supabase := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon')
                AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated')
                AND pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL;

    -- Every table: RLS on, and nothing granted that this function does not grant.
    FOREACH t IN ARRAY all_tables LOOP
        IF NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c
                 WHERE c.oid = pg_catalog.format('%I.%I', target, t)::pg_catalog.regclass) THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(
                pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', target, t));
        END IF;
        EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM PUBLIC', target, t);
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
                EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM %I', target, t, api_role);
            END IF;
        END LOOP;
    END LOOP;
    -- The policy columns are indexed (keys cover users.id, favorites.user_id,
    -- user_packs.user_id, pack_stats.pack_id; these cover the rest).
    FOR p IN SELECT * FROM (VALUES ('packs_status_idx', 'packs', 'status'),
                                   ('ai_tools_is_active_idx', 'ai_tools', 'is_active')) AS i (idx, tbl, col) LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, p.idx)) IS NULL THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(
                pg_catalog.format('CREATE INDEX %I ON %I.%I (%I)', p.idx, target, p.tbl, p.col));
        END IF;
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        -- The backend's key: every table, admin_logs append-only.
        EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO service_role', target);
        FOREACH t IN ARRAY all_tables LOOP
            IF t = 'admin_logs' THEN
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %I.%I TO service_role', target, t);
            ELSE
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO service_role', target, t);
            END IF;
        END LOOP;
        EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO service_role', target);
    END IF;
    -- dskv2_pack_file_url, for API roles created after CREATE EXTENSION too.
    PERFORM @extschema@.dskv2_grant_pack_file_url();
    IF NOT supabase THEN
        RETURN;  -- plain PostgreSQL: RLS on, owner access only.
    END IF;

    -- The admin helper, outside the API's reach, in a schema dskv2 creates
    -- and marks (one it did not create is refused, like a target).
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)) IS NULL THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', private);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', private, @extschema@.dskv2_target_marker());
    ELSIF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)), 'pg_namespace')
          IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', private
            USING ERRCODE = '42P06',
                  HINT = 'dskv2_create_schema keeps the admin helper of a target in <target>_private.';
    END IF;
    EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', private);
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO authenticated', private);
    EXECUTE pg_catalog.format($f$
        CREATE OR REPLACE FUNCTION %1$I.is_admin() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
        AS 'SELECT EXISTS (SELECT 1 FROM %2$I.users u WHERE u.id OPERATOR(pg_catalog.=) (SELECT auth.uid())
                                                      AND u.role OPERATOR(pg_catalog.=) ''admin''::pg_catalog.text)'$f$,
        private, target);
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION %I.is_admin() IS %L', private,
        'dropskills_v2: true when the requesting user is a V2 admin (policies of ' || target || ')');
    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %I.is_admin() FROM PUBLIC, anon', private);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %I.is_admin() TO authenticated', private);
    admin_call := pg_catalog.format('(SELECT %I.is_admin())', private);

    -- Grants: explicit, per role; per column where a column is hidden.
    EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO anon, authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT (id, slug, title, description, price, category_id, cover_url, format, language,
                                             is_premium, status, author_id, created_at, updated_at)
                               ON %I.packs TO anon, authenticated', target);
    FOREACH t IN ARRAY ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats'] LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO anon, authenticated', target, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['categories', 'tags', 'pack_tags', 'samples', 'pack_stats', 'packs', 'trending_ideas',
                             'user_packs', 'ai_tools'] LOOP
        EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %I.%I TO authenticated', target, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['trending_ideas', 'user_packs', 'ai_usage', 'admin_logs', 'migration_runs',
                             'migration_rejects', 'migration_state', 'migration_merges', 'verify_diffs',
                             'trigger_settings', 'ai_usage_daily'] LOOP
        EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO authenticated', target, t);
    END LOOP;
    EXECUTE pg_catalog.format('GRANT SELECT, DELETE ON %I.users TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT INSERT ON %I.users TO authenticated', target);
    -- Users change their own name and avatar, never their role or subscription.
    EXECUTE pg_catalog.format('GRANT UPDATE (full_name, avatar_url) ON %I.users TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT, INSERT, DELETE ON %I.favorites TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT SELECT (id, slug, name, provider, model, is_active, daily_quota, input_price_per_1k,
                                             output_price_per_1k, created_at)
                               ON %I.ai_tools TO authenticated', target);
    EXECUTE pg_catalog.format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO authenticated', target);

    -- Policies: the missing ones (a policy a DBA changed is left as it is).
    FOR p IN SELECT d.* FROM @extschema@.dskv2_policies() d
              WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy pp
                                 WHERE pp.polrelid = pg_catalog.format('%I.%I', target, d.table_name)::pg_catalog.regclass
                                   AND pp.polname = d.policy_name) LOOP
        expr_using := replace(replace(replace(p.using_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        expr_check := replace(replace(replace(p.check_expr, '$admin', admin_call), '$uid', uid_call),
                              '$target', pg_catalog.quote_ident(target));
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('CREATE POLICY %I ON %I.%I AS PERMISSIVE FOR %s TO %s%s%s',
            p.policy_name, target, p.table_name, p.command, p.roles,
            CASE WHEN expr_using IS NOT NULL THEN ' USING (' || expr_using || ')' ELSE '' END,
            CASE WHEN expr_check IS NOT NULL THEN ' WITH CHECK (' || expr_check || ')' ELSE '' END));
    END LOOP;
END
$$;

-- A pack's file_url, for whom may have it: anyone for a published pack that
-- is not premium, its owners (a user_packs row) and admins for any pack; NULL
-- otherwise. The only way API users reach file_url (SPEC §8). SECURITY
-- DEFINER: it reads the column API roles cannot; the caller's identity comes
-- from the request's claims (auth.uid()).
CREATE FUNCTION @extschema@.dskv2_pack_file_url(pack_id pg_catalog.uuid,
                                                target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    uid pg_catalog.uuid;
    url pg_catalog.text;
    premium pg_catalog.bool;
    published pg_catalog.bool;
    allowed pg_catalog.bool;
BEGIN
    IF pack_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT @extschema@.dskv2_check_target(target) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000';
    END IF;
    EXECUTE pg_catalog.format('SELECT p.file_url, p.is_premium, p.status = ''published'' FROM %I.packs p WHERE p.id = $1',
                              target)
        INTO url, premium, published USING pack_id;
    IF url IS NULL THEN
        RETURN NULL;
    END IF;
    IF published AND NOT premium THEN
        RETURN url;
    END IF;
    IF pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL THEN
        EXECUTE 'SELECT auth.uid()' INTO uid;
    END IF;
    IF uid IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %1$I.user_packs up WHERE up.user_id = $1 AND up.pack_id = $2)
             OR EXISTS (SELECT 1 FROM %1$I.users u WHERE u.id = $1 AND u.role = ''admin'')', target)
        INTO allowed USING uid, pack_id;
    RETURN CASE WHEN allowed THEN url END;
END
$$;

-- admin_logs is append-only for everyone: BEFORE UPDATE OR DELETE (per row)
-- and BEFORE TRUNCATE, attached by dskv2_create_schema. A DBA who must repair
-- the log disables it explicitly (ALTER TABLE ... DISABLE TRIGGER).
CREATE FUNCTION @extschema@.dskv2_append_only()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Live sync keeps the rows that came from the legacy log in line with it.
    IF TG_LEVEL = 'ROW' AND OLD.source = 'legacy' AND @extschema@.dskv2_sync_writing() THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'dskv2: %.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501',
              HINT = 'Audit rows are never changed or removed.';
END
$$;

--------------------------------------------------------------------------------
-- Native triggers (SPEC §7): the audit trail and AI usage metering
--------------------------------------------------------------------------------

-- AFTER INSERT/UPDATE/DELETE FOR EACH ROW and AFTER TRUNCATE; arguments: the
-- target schema, then the ignored columns.
CREATE FUNCTION @extschema@.dskv2_audit_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_audit_trigger'
LANGUAGE C;

-- AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on
-- ai_usage; argument: the target schema. Empties the quota ledger when
-- something other than the metering writes ai_usage.
CREATE FUNCTION @extschema@.dskv2_ai_ledger_reset()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_ai_ledger_reset'
LANGUAGE C;

-- AFTER INSERT/UPDATE/DELETE FOR EACH ROW; argument: the target schema.
CREATE FUNCTION @extschema@.dskv2_ai_usage_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_ai_usage_trigger'
LANGUAGE C;

-- The backend-local flag a migration sets so its own writes are not audited
-- row by row (internal; reset at transaction end). Returns the previous value.
CREATE FUNCTION @extschema@.dskv2_audit_suppress("on" pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_audit_suppress'
LANGUAGE C VOLATILE;

-- Records one AI request: idempotent on request_id, quota-checked, priced.
-- For trusted callers (the owner, service_role): revoked from the API roles.
CREATE FUNCTION @extschema@.dskv2_track_ai_usage(tool pg_catalog.text, user_id pg_catalog.uuid,
                                                 input_tokens pg_catalog.int4, output_tokens pg_catalog.int4,
                                                 request_id pg_catalog.text DEFAULT NULL,
                                                 metadata pg_catalog.jsonb DEFAULT NULL,
                                                 target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'dskv2_track_ai_usage'
LANGUAGE C VOLATILE;

-- The table `tbl` as (target schema, table name) when it is a table of a
-- schema dskv2 created; 22023 otherwise. Internal.
CREATE FUNCTION @extschema@.dskv2_trigger_table(tbl pg_catalog.regclass, OUT target pg_catalog.name,
                                                OUT table_name pg_catalog.name)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind pg_catalog.char;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'dskv2: table must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT n.nspname, c.relname, c.relkind INTO target, table_name, kind
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tbl;
    IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'dskv2: % is not a table', tbl USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)), 'pg_namespace')
       IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: % is not in a schema created by dropskills_v2', tbl
            USING ERRCODE = '22023',
                  HINT = 'The triggers write into the admin_logs and ai_usage tables of the table''s own schema.';
    END IF;
END
$$;

-- Runs `statement` (a CREATE TRIGGER) when `rel` has no trigger `name`, under
-- a short lock_timeout with retries. Internal.
CREATE FUNCTION @extschema@.dskv2_ensure_trigger(rel pg_catalog.regclass, name pg_catalog.name,
                                                 statement pg_catalog.text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = rel AND t.tgname = name) THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(statement);
    END IF;
END
$$;

-- Creates (or, with replace, re-creates) one kind of trigger on one table of
-- `target`, under a short lock_timeout with retries (CREATE TRIGGER locks the
-- table SHARE ROW EXCLUSIVE). Internal.
CREATE FUNCTION @extschema@.dskv2_install_trigger(target pg_catalog.name, table_name pg_catalog.name,
                                                  kind pg_catalog.text, ignored_columns pg_catalog.text[],
                                                  replace pg_catalog.bool)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel pg_catalog.regclass := pg_catalog.format('%I.%I', target, table_name)::pg_catalog.regclass;
    args pg_catalog.text := pg_catalog.quote_literal(target);
    col pg_catalog.text;
BEGIN
    IF kind = 'audit' THEN
        FOREACH col IN ARRAY COALESCE(ignored_columns, '{}') LOOP
            args := args || ', ' || pg_catalog.quote_literal(col);
        END LOOP;
        IF replace AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = rel AND tgname = 'dskv2_audit') THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit ON %s', rel));
        END IF;
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_audit', pg_catalog.format(
            'CREATE TRIGGER dskv2_audit AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_audit_trigger(%s)', rel, args));
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_audit_truncate', pg_catalog.format(
            'CREATE TRIGGER dskv2_audit_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_audit_trigger(%s)', rel, pg_catalog.quote_literal(target)));
    ELSE
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_ai_usage', pg_catalog.format(
            'CREATE TRIGGER dskv2_ai_usage AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_ai_usage_trigger(%s)', rel, pg_catalog.quote_literal(target)));
    END IF;
END
$$;

-- Attaches every enabled trigger of `target` that is missing: the default
-- audited tables, and what dskv2_audit_enable and dskv2_ai_track recorded.
-- Called by dskv2_create_schema and the migrations. Internal.
CREATE FUNCTION @extschema@.dskv2_attach_triggers(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings (kind, table_name) SELECT ''audit'', t FROM pg_catalog.unnest($1) AS t
         ON CONFLICT (kind, table_name) DO NOTHING', target)
        USING ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'ai_tools']::pg_catalog.text[];
    FOR r IN EXECUTE pg_catalog.format(
        'SELECT s.kind, s.table_name, s.ignored_columns FROM %I.trigger_settings s
          WHERE s.enabled ORDER BY s.kind, s.table_name', target) LOOP
        CONTINUE WHEN pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, r.table_name)) IS NULL;
        PERFORM @extschema@.dskv2_install_trigger(target, r.table_name, r.kind, r.ignored_columns, false);
    END LOOP;
    -- The quota ledger follows every other write to ai_usage (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.ai_usage', target)::pg_catalog.regclass,
        'dskv2_ai_ledger', pg_catalog.format(
            'CREATE TRIGGER dskv2_ai_ledger AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.ai_usage '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dskv2_ai_ledger_reset(%L)', target, target));
    -- admin_logs stays append-only (not configurable).
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.admin_logs', target)::pg_catalog.regclass,
        'dskv2_append_only', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only BEFORE UPDATE OR DELETE ON %I.admin_logs FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target));
    PERFORM @extschema@.dskv2_ensure_trigger(pg_catalog.format('%I.admin_logs', target)::pg_catalog.regclass,
        'dskv2_append_only_truncate', pg_catalog.format(
            'CREATE TRIGGER dskv2_append_only_truncate BEFORE TRUNCATE ON %I.admin_logs FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_append_only()', target));
END
$$;

CREATE FUNCTION @extschema@.dskv2_audit_enable(tbl pg_catalog.regclass,
                                               ignored_columns pg_catalog.text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    missing pg_catalog.text;
BEGIN
    t := @extschema@.dskv2_trigger_table(tbl);
    IF t.table_name = 'admin_logs' THEN
        RAISE EXCEPTION 'dskv2: admin_logs cannot audit itself' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.array_position(ignored_columns, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: ignored_columns must not contain NULL' USING ERRCODE = '22023';
    END IF;
    SELECT c INTO missing FROM pg_catalog.unnest(COALESCE(ignored_columns, '{}')) AS c
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = tbl AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped)
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: column %.% does not exist', t.table_name, missing USING ERRCODE = '42703';
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled, ignored_columns)
         VALUES (''audit'', $1, true, $2)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = true, ignored_columns = EXCLUDED.ignored_columns,
                                                      updated_at = pg_catalog.now()', t.target)
        USING t.table_name, COALESCE(ignored_columns, '{}');
    PERFORM @extschema@.dskv2_install_trigger(t.target, t.table_name, 'audit', COALESCE(ignored_columns, '{}'), true);
END
$$;

CREATE FUNCTION @extschema@.dskv2_audit_disable(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
BEGIN
    t := @extschema@.dskv2_trigger_table(tbl);
    -- Recorded, so that dskv2_create_schema does not attach it again.
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled) VALUES (''audit'', $1, false)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = false, updated_at = pg_catalog.now()', t.target)
        USING t.table_name;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_audit') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit ON %s', tbl));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_audit_truncate') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit_truncate ON %s', tbl));
    END IF;
END
$$;

CREATE FUNCTION @extschema@.dskv2_ai_track(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
BEGIN
    t := @extschema@.dskv2_trigger_table(tbl);
    IF t.table_name IN ('ai_usage', 'admin_logs') THEN
        RAISE EXCEPTION 'dskv2: % cannot be metered', t.table_name USING ERRCODE = '22023';
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.trigger_settings AS s (kind, table_name, enabled) VALUES (''ai_usage'', $1, true)
         ON CONFLICT (kind, table_name) DO UPDATE SET enabled = true, updated_at = pg_catalog.now()', t.target)
        USING t.table_name;
    PERFORM @extschema@.dskv2_install_trigger(t.target, t.table_name, 'ai_usage', NULL, false);
END
$$;

CREATE FUNCTION @extschema@.dskv2_ai_untrack(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
BEGIN
    t := @extschema@.dskv2_trigger_table(tbl);
    EXECUTE pg_catalog.format(
        'UPDATE %I.trigger_settings SET enabled = false, updated_at = pg_catalog.now()
          WHERE kind = ''ai_usage'' AND table_name = $1', t.target)
        USING t.table_name;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = tbl AND tgname = 'dskv2_ai_usage') THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_ai_usage ON %s', tbl));
    END IF;
END
$$;

--------------------------------------------------------------------------------
-- Live transition (SPEC §9): live sync, its catch-up, and the cutover
--------------------------------------------------------------------------------

-- AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW (and BEFORE TRUNCATE, refused)
-- on a legacy table; arguments: target, source, sync run id.
CREATE FUNCTION @extschema@.dskv2_sync_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_sync_trigger'
LANGUAGE C;

-- BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on a legacy
-- table after the cutover; arguments: target, then the exempt roles.
CREATE FUNCTION @extschema@.dskv2_guard_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_guard_trigger'
LANGUAGE C;

-- Whether live sync is writing V2 in this backend right now (internal).
CREATE FUNCTION @extschema@.dskv2_sync_writing()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_sync_writing'
LANGUAGE C VOLATILE;

-- Sets that flag for the catch-up (internal); returns the previous value.
CREATE FUNCTION @extschema@.dskv2_set_sync_writing("on" pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_set_sync_writing'
LANGUAGE C VOLATILE;

-- The legacy relations live sync watches, and the mapping each one feeds.
CREATE FUNCTION @extschema@.dskv2_sync_relations(source pg_catalog.name)
RETURNS TABLE (ord pg_catalog.int4, rel pg_catalog.regclass, source_table pg_catalog.text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT v.ord, pg_catalog.to_regclass(CASE WHEN v.ord = 1 THEN 'auth.users'
                                              ELSE pg_catalog.format('%I.%I', source, v.rel) END), v.source_table
      FROM (VALUES (1, 'users', 'auth.users'), (2, 'profiles', 'auth.users'), (3, 'categories', 'categories'),
                   (4, 'products', 'products'), (5, 'samples', 'samples'), (6, 'tags', 'tags'),
                   (7, 'favorites', 'favorites'), (8, 'product_stats', 'product_stats'),
                   (9, 'trending_ideas', 'trending_ideas'), (10, 'admin_logs', 'admin_logs')) AS v (ord, rel, source_table)
$$;

-- The lock live sync and the migration's writers share per target and legacy
-- table (sync.cpp takes the same one): a migration statement holds it
-- exclusively, so it never writes a row live sync is writing.
CREATE FUNCTION @extschema@.dskv2_lock_mapping(target pg_catalog.name, source_table pg_catalog.text)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.pg_advisory_xact_lock(1685285683, pg_catalog.hashtext(target::pg_catalog.text || '/' || source_table)) $$;

-- The running live sync from `source` into `target`: its run id, or NULL.
CREATE FUNCTION @extschema@.dskv2_sync_run(source pg_catalog.name, target pg_catalog.name)
RETURNS pg_catalog.int8
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run_id pg_catalog.int8;
BEGIN
    IF pg_catalog.to_regclass(pg_catalog.format('%I.migration_runs', target)) IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format('SELECT max(r.id) FROM %I.migration_runs r WHERE r.mode = ''sync'' AND r.status = ''running''
                                  AND r.params->>''source'' = $1', target)
        INTO run_id USING source::pg_catalog.text;
    RETURN run_id;
END
$$;

-- The mapping applied to some legacy keys, as live sync applies it to one
-- (the same statements, from the core): returns the rows changed in V2.
CREATE FUNCTION @extschema@.dskv2_sync_keys(source_table pg_catalog.text, source pg_catalog.name,
                                            target pg_catalog.name, run_id pg_catalog.int8,
                                            keys pg_catalog.text[], deleting pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
DECLARE
    released pg_catalog.text[];
    c record;
    n pg_catalog.int8 := 0;
    previous_suppress pg_catalog.bool;
    previous_writing pg_catalog.bool;
BEGIN
    IF keys IS NULL OR pg_catalog.cardinality(keys) = 0 THEN
        RETURN 0;
    END IF;
    PERFORM @extschema@.dskv2_lock_mapping(target, source_table);
    previous_suppress := @extschema@.dskv2_audit_suppress(true);
    previous_writing := @extschema@.dskv2_set_sync_writing(true);
    IF source_table IN ('tags', 'favorites') THEN
        EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'sync', source, target, run_id, 'sync')
            INTO c USING keys, deleting;
        released := c.keys;
        n := c.rows_unlinked + c.rows_rejected;
        IF pg_catalog.cardinality(released) > 0 THEN
            EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'migrate', source, target, run_id, 'keys')
                INTO c USING released;
            n := n + c.rows_written + c.rows_merged;
        END IF;
    ELSE
        EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'sync', source, target, run_id, 'sync')
            INTO c USING keys, deleting;
        n := c.rows_written + c.rows_updated + c.rows_deleted + c.rows_rejected;
    END IF;
    PERFORM @extschema@.dskv2_set_sync_writing(previous_writing);
    PERFORM @extschema@.dskv2_audit_suppress(previous_suppress);
    RETURN n;
END
$$;

-- After live sync deleted V2 rows of a parent (products, auth.users), V2's
-- foreign keys took their children along; legacy children that stay (the
-- legacy favorites have no foreign key) are synced again: the mapping now
-- quarantines them as orphans. Internal.
CREATE FUNCTION @extschema@.dskv2_sync_children(parent pg_catalog.text, source pg_catalog.name,
                                                target pg_catalog.name, run_id pg_catalog.int8,
                                                keys pg_catalog.text[])
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    child record;
    child_keys pg_catalog.text[];
    n pg_catalog.int8 := 0;
BEGIN
    FOR child IN SELECT * FROM (VALUES ('products', 'samples', 'id', 'product_id', 'uuid'),
                                       ('products', 'tags', 'id', 'product_id', 'uuid'),
                                       ('products', 'favorites', 'id', 'product_id', 'uuid'),
                                       ('products', 'product_stats', 'product_id', 'product_id', 'uuid'),
                                       ('auth.users', 'favorites', 'id', 'user_id', 'uuid'))
                                  AS c (parent, child_table, key_column, parent_column, key_type)
                  WHERE c.parent = $1 LOOP
        EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(s.%I::pg_catalog.text ORDER BY s.%I) FROM %I.%I s WHERE s.%I = ANY ($1::%s[])',
                                  child.key_column, child.key_column, source, child.child_table, child.parent_column,
                                  child.key_type)
            INTO child_keys USING keys;
        n := n + @extschema@.dskv2_sync_keys(child.child_table, source, target, run_id, child_keys, false);
    END LOOP;
    RETURN n;
END
$$;

-- The catch-up of live sync, per legacy table in report order, each under the
-- table's sync lock (held exclusively to the end of the transaction):
--   * pending: legacy rows never examined yet, of tables a migration has
--     completed (a running batched migration keeps its own), are migrated,
--     and quarantined rows are re-evaluated (a child synced before its parent);
--   * every V2 row, merge or quarantine record whose legacy row changed or
--     went since is brought in line (dskv2_mapping_sql 'reconcile').
CREATE FUNCTION @extschema@.dskv2_sync_catch_up(source pg_catalog.name, target pg_catalog.name,
                                                run_id pg_catalog.int8, pending pg_catalog.bool,
                                                tables pg_catalog.text[] DEFAULT NULL)
RETURNS TABLE (source_table pg_catalog.text, migrated pg_catalog.int8, caught_up pg_catalog.int8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
DECLARE
    m record;
    c record;
    st pg_catalog.text;
    keys pg_catalog.text[];
    previous_work_mem pg_catalog.text := pg_catalog.current_setting('work_mem');
BEGIN
    -- The comparison of every legacy row with V2 hashes whole tables, as the
    -- one-transaction migration does (dskv2.work_mem, default 256MB); put back below.
    PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''), '256MB'), true);
    FOR m IN SELECT t.* FROM @extschema@.dskv2_mapping_tables() t
              WHERE tables IS NULL OR t.source_table = ANY (tables) ORDER BY t.ord LOOP
        source_table := m.source_table;
        migrated := 0;
        caught_up := 0;
        PERFORM @extschema@.dskv2_lock_mapping(target, m.source_table);
        IF pending THEN
            EXECUTE pg_catalog.format('SELECT s.status FROM %I.migration_state s WHERE s.source_table = $1', target)
                INTO st USING m.source_table;
            IF st IS NOT DISTINCT FROM 'done' THEN
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'pending');
                migrated := c.rows_read;
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'quarantined');
                migrated := migrated + c.rows_written + c.rows_merged;
            END IF;
        END IF;
        EXECUTE 'SELECT pg_catalog.array_agg(r.k ORDER BY r.k) FROM ('
                || @extschema@.dskv2_mapping_sql(m.source_table, 'reconcile', source, target) || ') r'
            INTO keys;
        IF keys IS NOT NULL THEN
            PERFORM @extschema@.dskv2_sync_keys(m.source_table, source, target, run_id, keys, false);
            caught_up := pg_catalog.cardinality(keys);
        END IF;
        IF migrated + caught_up > 0 THEN
            RAISE NOTICE 'dskv2: catch-up of %: % rows migrated, % keys brought in line', m.source_table, migrated, caught_up;
        END IF;
        RETURN NEXT;
    END LOOP;
    PERFORM pg_catalog.set_config('work_mem', previous_work_mem, true);
END
$$;

-- Locks every legacy table live sync watches in SHARE ROW EXCLUSIVE mode (what
-- CREATE TRIGGER takes), all in one statement under a short lock_timeout with
-- retries: writers finish first, new ones wait until the transaction ends,
-- readers go on. Taking them one by one could deadlock with a writer that
-- touches two of them.
CREATE FUNCTION @extschema@.dskv2_lock_legacy(source pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rels pg_catalog.text;
BEGIN
    SELECT pg_catalog.string_agg(r.rel::pg_catalog.text, ', ' ORDER BY r.ord) INTO rels
      FROM @extschema@.dskv2_sync_relations(source) r
     WHERE r.rel IS NOT NULL;
    IF rels IS NOT NULL THEN
        PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN SHARE ROW EXCLUSIVE MODE');
    END IF;
END
$$;

-- Attaches live sync's triggers to one legacy table when missing (the first
-- argument names the target: a rollback finds them by it): dskv2_sync and
-- dskv2_sync_truncate; on auth.users also dskv2_sync_flush (AFTER INSERT FOR
-- EACH STATEMENT), which syncs the statement's new auth users after the
-- table's other AFTER triggers ran (a sign-up's handle_new_user creates the
-- profile first, and the V2 user is written once). Internal.
CREATE FUNCTION @extschema@.dskv2_attach_sync(rel pg_catalog.regclass, source pg_catalog.name,
                                              target pg_catalog.name, run_id pg_catalog.int8)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync', pg_catalog.format(
        'CREATE TRIGGER dskv2_sync AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
        'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync_truncate', pg_catalog.format(
        'CREATE TRIGGER dskv2_sync_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT '
        'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    IF rel = pg_catalog.to_regclass('auth.users') THEN
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_sync_flush', pg_catalog.format(
            'CREATE TRIGGER dskv2_sync_flush AFTER INSERT ON %s FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_sync_trigger(%L, %L, %L)', rel, target, source, run_id));
    END IF;
END
$$;

-- Live sync from `source` into `target` (SPEC §9). Attaches dskv2_sync (AFTER
-- INSERT OR UPDATE OR DELETE FOR EACH ROW) and dskv2_sync_truncate (BEFORE
-- TRUNCATE, refused) to every legacy table and auth.users, then catches up in
-- the same transaction. Locks: SHARE ROW EXCLUSIVE on those tables until it
-- commits (writes wait, reads go on). Idempotent.
CREATE FUNCTION @extschema@.dskv2_sync_enable(source pg_catalog.name DEFAULT 'public',
                                              target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    c record;
    run_id pg_catalog.int8;
    other pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_check_source(source, target);
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL THEN
        PERFORM @extschema@.dskv2_create_schema(target);
    END IF;
    -- Live sync into one target at a time per legacy table.
    SELECT pg_catalog.format('%s (into %s)', t.tgrelid::pg_catalog.regclass,
                             @extschema@.dskv2_trigger_target(t.tgargs)) INTO other
      FROM pg_catalog.pg_trigger t JOIN @extschema@.dskv2_sync_relations(source) s ON s.rel = t.tgrelid
     WHERE t.tgname = 'dskv2_sync'
       AND @extschema@.dskv2_trigger_target(t.tgargs) <> target
     LIMIT 1;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'dskv2: live sync of % is on into another target', other
            USING ERRCODE = '55000', HINT = 'Turn it off with dskv2_sync_disable() for that target first.';
    END IF;
    -- The end of a batched migration waits for this transaction (it catches up
    -- on its tables when sync is on).
    PERFORM pg_catalog.pg_advisory_xact_lock(1685285684, @extschema@.dskv2_lock_key(target));
    run_id := @extschema@.dskv2_sync_run(source, target);
    IF run_id IS NULL THEN
        run_id := @extschema@.dskv2_start_run(target, 'sync',
            pg_catalog.jsonb_build_object('source', source, 'target', target, 'phase', 'sync'));
    END IF;
    PERFORM @extschema@.dskv2_lock_legacy(source);
    FOR r IN SELECT s.* FROM @extschema@.dskv2_sync_relations(source) s WHERE s.rel IS NOT NULL ORDER BY s.ord LOOP
        PERFORM @extschema@.dskv2_attach_sync(r.rel, source, target, run_id);
    END LOOP;
    FOR c IN SELECT * FROM @extschema@.dskv2_sync_catch_up(source, target, run_id, true) LOOP
    END LOOP;
    RAISE NOTICE 'dskv2: live sync from % into % is on (run %)', source, target, run_id;
END
$$;

-- Turns live sync off: drops its triggers (the tables locked all at once, an
-- instant, under a short lock_timeout with retries) and closes its run. Both
-- schemas stay as they are.
CREATE FUNCTION @extschema@.dskv2_sync_disable(source pg_catalog.name DEFAULT 'public',
                                               target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    rels pg_catalog.text;
BEGIN
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    IF NOT @extschema@.dskv2_check_target(target, source) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(1685285684, @extschema@.dskv2_lock_key(target));
    -- DROP TRIGGER takes ACCESS EXCLUSIVE: all the tables at once (one LOCK
    -- statement under the short lock_timeout, retried), never one after the
    -- other while holding the first (a writer touching two would deadlock).
    SELECT pg_catalog.string_agg(DISTINCT t.tgrelid::pg_catalog.regclass::pg_catalog.text, ', ') INTO rels
      FROM pg_catalog.pg_trigger t JOIN @extschema@.dskv2_sync_relations(source) s ON s.rel = t.tgrelid
     WHERE t.tgname IN ('dskv2_sync', 'dskv2_sync_truncate', 'dskv2_sync_flush')
       AND @extschema@.dskv2_trigger_target(t.tgargs) = target;
    IF rels IS NOT NULL THEN
        PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN ACCESS EXCLUSIVE MODE');
    END IF;
    FOR r IN SELECT t.tgrelid::pg_catalog.regclass AS rel, t.tgname
               FROM pg_catalog.pg_trigger t JOIN @extschema@.dskv2_sync_relations(source) s ON s.rel = t.tgrelid
              WHERE t.tgname IN ('dskv2_sync', 'dskv2_sync_truncate', 'dskv2_sync_flush')
                AND @extschema@.dskv2_trigger_target(t.tgargs) = target
              ORDER BY s.ord, t.tgname LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = ''completed'', finished_at = pg_catalog.clock_timestamp()
                                WHERE mode = ''sync'' AND status = ''running'' AND params->>''source'' = $1', target)
        USING source::pg_catalog.text;
    RAISE NOTICE 'dskv2: live sync from % into % is off', source, target;
END
$$;

-- The switch (SPEC §9). In one transaction: the legacy tables locked (SHARE
-- ROW EXCLUSIVE, all at once, short lock_timeout with retries), the final
-- catch-up, the verification; when a check fails, everything is undone and the
-- failing checks are returned. Otherwise: guard triggers make the legacy
-- public tables read-only for application roles (25006; members of
-- exempt_roles, and writes made by triggers and foreign key actions, go on),
-- live sync stays on for auth.users and profiles (sign-ups reach V2 users) and
-- goes off for the other tables, and the switch is recorded in the run
-- history and admin_logs.
CREATE FUNCTION @extschema@.dskv2_cutover(source pg_catalog.name DEFAULT 'public',
                                          target pg_catalog.name DEFAULT 'dropskills_v2',
                                          exempt_roles pg_catalog.name[] DEFAULT '{}')
RETURNS TABLE (step pg_catalog.text, ok pg_catalog.bool, detail pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    c record;
    sync_run pg_catalog.int8;
    run_id pg_catalog.int8;
    steps pg_catalog.text[] := '{}';
    oks pg_catalog.bool[] := '{}';
    details pg_catalog.text[] := '{}';
    failing pg_catalog.text[];
    failing_details pg_catalog.text[];
    role_args pg_catalog.text := '';
    guarded pg_catalog.text[] := '{}';
    actor pg_catalog.text := NULLIF(pg_catalog.current_setting('dskv2.actor', true), '');
    holder pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_check_source(source, target);
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000',
            HINT = 'Migrate first: dskv2_migrate_all() or CALL dskv2_migrate().';
    END IF;
    IF exempt_roles IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.unnest(exempt_roles) x
                                        WHERE x IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles pr WHERE pr.rolname = x)) THEN
        RAISE EXCEPTION 'dskv2: exempt_roles must list existing roles: %', exempt_roles USING ERRCODE = '22023';
    END IF;
    -- Not while a migration writes into the target: a refusal, as a row.
    BEGIN
        PERFORM @extschema@.dskv2_take_lock(target, false);
    EXCEPTION WHEN lock_not_available THEN
        GET STACKED DIAGNOSTICS holder = MESSAGE_TEXT;
        step := 'migration_lock'; ok := false; detail := holder;
        RETURN NEXT;
        RETURN;
    END;
    PERFORM pg_catalog.pg_advisory_xact_lock(1685285684, @extschema@.dskv2_lock_key(target));

    BEGIN
        -- No legacy write in flight from here on: the catch-up is final.
        PERFORM @extschema@.dskv2_lock_legacy(source);
        steps := steps || 'lock'::pg_catalog.text; oks := oks || true;
        details := details || 'legacy tables locked in SHARE ROW EXCLUSIVE mode until the switch commits'::pg_catalog.text;
        sync_run := @extschema@.dskv2_sync_run(source, target);
        IF sync_run IS NULL THEN
            sync_run := @extschema@.dskv2_start_run(target, 'sync',
                pg_catalog.jsonb_build_object('source', source, 'target', target, 'phase', 'sync'));
        END IF;
        FOR c IN SELECT * FROM @extschema@.dskv2_sync_catch_up(source, target, sync_run, true) LOOP
            steps := steps || 'catch_up'::pg_catalog.text; oks := oks || true;
            details := details || pg_catalog.format('%s: %s rows migrated, %s keys brought in line',
                                                    c.source_table, c.migrated, c.caught_up);
        END LOOP;
        SELECT pg_catalog.array_agg(v.check_name || ':' || v.table_name ORDER BY v.check_name, v.table_name),
               pg_catalog.array_agg(v.detail ORDER BY v.check_name, v.table_name)
          INTO failing, failing_details
          FROM @extschema@.dskv2_verify_integrity(source, target) v WHERE NOT v.ok;
        IF failing IS NOT NULL THEN
            RAISE EXCEPTION 'dskv2: cutover refused' USING ERRCODE = 'DSKCR';
        END IF;
        steps := steps || 'verify'::pg_catalog.text; oks := oks || true;
        details := details || 'every check of dskv2_verify_integrity() passed'::pg_catalog.text;
    EXCEPTION WHEN SQLSTATE 'DSKCR' THEN
        FOR i IN 1..pg_catalog.cardinality(failing) LOOP
            step := 'verify:' || failing[i]; ok := false; detail := failing_details[i];
            RETURN NEXT;
        END LOOP;
        step := 'cutover'; ok := false;
        detail := 'refused: verification failed; nothing was changed (see dskv2_verify_integrity())';
        RETURN NEXT;
        RETURN;
    END;

    -- Guards on the public tables.
    SELECT COALESCE(pg_catalog.string_agg(pg_catalog.format(', %L', x), '' ORDER BY x), '') INTO role_args
      FROM pg_catalog.unnest(exempt_roles) x;
    FOR r IN SELECT s.* FROM @extschema@.dskv2_sync_relations(source) s WHERE s.rel IS NOT NULL AND s.ord > 1 ORDER BY s.ord LOOP
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format(
            'CREATE OR REPLACE TRIGGER dskv2_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dskv2_guard_trigger(%L%s)', r.rel, target, role_args));
        guarded := guarded || r.rel::pg_catalog.text;
        steps := steps || 'guard'::pg_catalog.text; oks := oks || true;
        details := details || pg_catalog.format('%s is read-only for application roles (25006)', r.rel);
    END LOOP;
    -- Live sync: kept for the sign-up path, off for the rest. Disabled, not
    -- dropped: DROP TRIGGER would need ACCESS EXCLUSIVE on tables the app
    -- reads (the lock held since the start is SHARE ROW EXCLUSIVE); the
    -- rollback or dskv2_sync_disable() drops them later.
    FOR r IN SELECT s.*, t.tgname FROM @extschema@.dskv2_sync_relations(source) s
               JOIN pg_catalog.pg_trigger t ON t.tgrelid = s.rel AND t.tgname IN ('dskv2_sync', 'dskv2_sync_truncate', 'dskv2_sync_flush')
              WHERE s.ord > 2 AND t.tgenabled <> 'D' ORDER BY s.ord, t.tgname LOOP
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('ALTER TABLE %s DISABLE TRIGGER %I', r.rel, r.tgname));
        IF r.tgname = 'dskv2_sync' THEN
            steps := steps || 'sync_off'::pg_catalog.text; oks := oks || true;
            details := details || pg_catalog.format('%s no longer synced', r.rel);
        END IF;
    END LOOP;
    FOR r IN SELECT s.* FROM @extschema@.dskv2_sync_relations(source) s WHERE s.rel IS NOT NULL AND s.ord <= 2 ORDER BY s.ord LOOP
        PERFORM @extschema@.dskv2_attach_sync(r.rel, source, target, sync_run);
        steps := steps || 'auth_path'::pg_catalog.text; oks := oks || true;
        details := details || pg_catalog.format('%s keeps syncing into %I.users', r.rel, target);
    END LOOP;
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET params = params || ''{"phase": "cutover"}'' WHERE id = $1', target)
        USING sync_run;

    -- The record: a run of its own, and one admin_logs row.
    run_id := @extschema@.dskv2_start_run(target, 'cutover',
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'exempt_roles', exempt_roles,
                                      'sync_run', sync_run));
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = ''completed'', report = $2,
                                      finished_at = pg_catalog.clock_timestamp() WHERE id = $1', target)
        USING run_id, (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('step', s.step, 'ok', s.ok, 'detail', s.detail)
                                                   ORDER BY s.n)
                         FROM ROWS FROM (pg_catalog.unnest(steps), pg_catalog.unnest(oks), pg_catalog.unnest(details))
                              WITH ORDINALITY AS s (step, ok, detail, n));
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.admin_logs (actor_id, actor_role, action, table_name, details, txid, source)
         VALUES ($1, current_user::pg_catalog.text, ''CUTOVER'', NULL, $2, pg_catalog.txid_current(), ''migration'')', target)
        USING CASE WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN actor::pg_catalog.uuid END,
              pg_catalog.jsonb_build_object('run_id', run_id, 'source', source, 'guarded', guarded,
                                            'exempt_roles', exempt_roles, 'sync_run', sync_run);
    steps := steps || 'recorded'::pg_catalog.text; oks := oks || true;
    details := details || pg_catalog.format('run %s in %I.migration_runs, CUTOVER in %I.admin_logs', run_id, target, target);
    FOR i IN 1..pg_catalog.cardinality(steps) LOOP
        step := steps[i]; ok := oks[i]; detail := details[i];
        RETURN NEXT;
    END LOOP;
    RAISE NOTICE 'dskv2: switched from % to %', source, target;
END
$$;

--------------------------------------------------------------------------------
-- Privileges. Everything but the two pure text functions is for the DBA:
-- revoked from PUBLIC, and explicitly from Supabase's API roles, whose default
-- privileges grant EXECUTE directly.
--------------------------------------------------------------------------------
DO $dskv2$
DECLARE
    fn pg_catalog.regprocedure;
    api_role pg_catalog.text;
BEGIN
    FOR fn IN SELECT p.oid::pg_catalog.regprocedure
                FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                           AND d.objid = p.oid AND d.deptype = 'e'
                JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
               WHERE p.proname NOT IN ('dskv2_slugify', 'dskv2_detect_sample_type', 'dskv2_pack_file_url') LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM PUBLIC',
            CASE WHEN (SELECT prokind FROM pg_catalog.pg_proc WHERE oid = fn) = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, fn);
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
                EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM %I',
                    CASE WHEN (SELECT prokind FROM pg_catalog.pg_proc WHERE oid = fn) = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                    fn, api_role);
            END IF;
        END LOOP;
    END LOOP;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON @extschema@.dskv2_progress FROM %I', api_role);
        END IF;
    END LOOP;
    REVOKE ALL ON @extschema@.dskv2_progress FROM PUBLIC;
    -- The one SECURITY DEFINER function for API users: what it returns is
    -- decided inside, per caller.
    REVOKE ALL ON FUNCTION @extschema@.dskv2_pack_file_url(pg_catalog.uuid, pg_catalog.name) FROM PUBLIC;
    PERFORM @extschema@.dskv2_grant_pack_file_url();
END
$dskv2$;
