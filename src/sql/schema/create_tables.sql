-- Brings the target to the current shape (docs/architecture.md, "Target
-- shape versions"), or creates it: the schema with its marker when missing,
-- then the shape steps of dskv2_target_steps in order. Each table, column and
-- index that is missing is created under a short lock_timeout with retries
-- (an ALTER TABLE holds ACCESS EXCLUSIVE only for that instant); the
-- statements and batches of the steps the target has not recorded run once
-- (a batch again until it changes no row; a policy the step changes is
-- dropped, and dskv2_apply_security creates it again from the catalogue); the
-- steps are then recorded in <target>.shape_steps. The foreign keys come from
-- dskv2_add_constraints.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_create_tables(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    s record;
    recorded pg_catalog.int4;
    changed pg_catalog.int8;
    private pg_catalog.name := @extschema@.dskv2_private_schema(target);
    adopt pg_catalog.bool := false;
BEGIN
    IF NOT @extschema@.dskv2_check_target(target) THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', target);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', target, @extschema@.dskv2_target_marker());
        recorded := 0;
    ELSE
        recorded := (@extschema@.dskv2_target_shape(target)).shape;
    END IF;
    -- <target>_private: the owner's bookkeeping and the admin helper, never
    -- exposed by the API (a 0.1.0 target without it gets it now).
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(private)) IS NULL THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', private);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', private, @extschema@.dskv2_target_marker());
        EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', private);
    END IF;
    -- What the target's owner registered for the triggers it puts outside the
    -- target (live sync): only the owner writes it (the trust check refuses a
    -- grant of INSERT, UPDATE or DELETE on it to anyone else).
    IF pg_catalog.to_regclass(pg_catalog.format('%I.registrations', private)) IS NULL THEN
        adopt := true;
    END IF;
    EXECUTE pg_catalog.format(
        'CREATE TABLE IF NOT EXISTS %I.registrations (
             kind pg_catalog.text NOT NULL,
             table_schema pg_catalog.name NOT NULL,
             table_name pg_catalog.name NOT NULL,
             source pg_catalog.name NOT NULL,
             registered_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now(),
             PRIMARY KEY (kind, table_schema, table_name))', private);
    IF adopt THEN
        -- A target made before registrations: the live sync triggers it has
        -- (attached by dskv2_sync_enable of 0.1.0) are registered once, those
        -- on the legacy tables of their own source only (docs/security.md,
        -- "Identity switches").
        EXECUTE pg_catalog.format(
            'INSERT INTO %I.registrations (kind, table_schema, table_name, source)
             SELECT DISTINCT ''sync'', n.nspname, c.relname, t.source
               FROM (SELECT tg.tgrelid, tg.tgargs,
                            pg_catalog.split_part(pg_catalog.encode(tg.tgargs, ''escape''), E''\\000'', 2)::pg_catalog.name AS source
                       FROM pg_catalog.pg_trigger tg WHERE tg.tgname = ''dskv2_sync'' AND tg.tgfoid = $2) t
               JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE @extschema@.dskv2_trigger_target(t.tgargs) = $1
                AND t.tgrelid IN (SELECT s.rel FROM @extschema@.dskv2_sync_relations(t.source) s)
             ON CONFLICT DO NOTHING', private)
            USING target, '@extschema@.dskv2_sync_trigger()'::pg_catalog.regprocedure;
    END IF;
    PERFORM @extschema@.dskv2_require_trust(target);
    FOR s IN SELECT st.* FROM @extschema@.dskv2_target_steps(target) WITH ORDINALITY AS st ORDER BY st.ordinality LOOP
        IF s.kind = 'table' THEN
            IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, s.table_name)) IS NULL THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement, pg_catalog.format('table %I.%I', target, s.table_name));
            END IF;
        ELSIF s.kind = 'column' THEN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                            WHERE a.attrelid = pg_catalog.format('%I.%I', target, s.table_name)::pg_catalog.regclass
                              AND a.attname = s.object_name AND NOT a.attisdropped) THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement, pg_catalog.format('table %I.%I', target, s.table_name));
            END IF;
        ELSIF s.kind = 'index' THEN
            IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, s.object_name)) IS NULL THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement, pg_catalog.format('table %I.%I', target, s.table_name));
            END IF;
        ELSIF s.step > recorded THEN
            IF s.kind = 'batch' THEN
                LOOP
                    EXECUTE s.statement;
                    GET DIAGNOSTICS changed = ROW_COUNT;
                    EXIT WHEN changed = 0;
                END LOOP;
            ELSE
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement, pg_catalog.format('tables of schema %I', target));
            END IF;
        END IF;
    END LOOP;
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.shape_steps (step, name)
         SELECT DISTINCT st.step, st.step_name FROM %s.dskv2_target_steps($1) st WHERE st.step > $2
         ON CONFLICT (step) DO NOTHING', target, '@extschema@')
        USING target, recorded;
    IF pg_catalog.to_regnamespace('public') IS NOT NULL THEN
        PERFORM @extschema@.dskv2_bump_identities('public', target);
    END IF;
END
$$;
