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
BEGIN
    IF NOT @extschema@.dskv2_check_target(target) THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', target);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', target, @extschema@.dskv2_target_marker());
        recorded := 0;
    ELSE
        recorded := (@extschema@.dskv2_target_shape(target)).shape;
    END IF;
    FOR s IN SELECT st.* FROM @extschema@.dskv2_target_steps(target) WITH ORDINALITY AS st ORDER BY st.ordinality LOOP
        IF s.kind = 'table' THEN
            IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, s.table_name)) IS NULL THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement);
            END IF;
        ELSIF s.kind = 'column' THEN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                            WHERE a.attrelid = pg_catalog.format('%I.%I', target, s.table_name)::pg_catalog.regclass
                              AND a.attname = s.object_name AND NOT a.attisdropped) THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement);
            END IF;
        ELSIF s.kind = 'index' THEN
            IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, s.object_name)) IS NULL THEN
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement);
            END IF;
        ELSIF s.step > recorded THEN
            IF s.kind = 'batch' THEN
                LOOP
                    EXECUTE s.statement;
                    GET DIAGNOSTICS changed = ROW_COUNT;
                    EXIT WHEN changed = 0;
                END LOOP;
            ELSE
                PERFORM @extschema@.dskv2_ddl_with_retry(s.statement);
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
