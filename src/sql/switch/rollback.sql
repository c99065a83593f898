-- Drops the target schema (and its marked <target>_private) when confirm is
-- its name and dskv2 created it, after dropping the dskv2 triggers outside it
-- (live sync, the guards); refuses when objects outside the target depend on
-- it; legacy untouched; reports what it dropped (docs/switch.md, "Rollback").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_rollback(target pg_catalog.name, confirm pg_catalog.text)
RETURNS TABLE (object pg_catalog.text, action pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET transform_null_equals = off
SET array_nulls = on
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = postgres
SET bytea_output = hex
SET extra_float_digits = 1
AS $$
DECLARE
    dependents pg_catalog.text;
    r record;
    n pg_catalog.int8;
    dropped pg_catalog.text[] := '{}';
    actions pg_catalog.text[] := '{}';
    locked pg_catalog.bool := false;
    rels pg_catalog.text;
    companion pg_catalog.name;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_rollback');
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
            PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN ACCESS EXCLUSIVE MODE', 'the tables ' || rels);
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
    PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP SCHEMA %I CASCADE', target),
                                             pg_catalog.format('schema %I and auth.users', target));
    dropped := dropped || pg_catalog.quote_ident(target);
    actions := actions || 'dropped schema'::pg_catalog.text;
    -- Its companion schemas (<target>_private, <target>_api) when they carry
    -- the marker: the trust check above made sure the target's owner owns them
    -- and everything in them.
    FOREACH companion IN ARRAY ARRAY[@extschema@.dskv2_private_schema(target), (target || '_api')::pg_catalog.name] LOOP
        CONTINUE WHEN pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(companion)), 'pg_namespace')
                      IS DISTINCT FROM @extschema@.dskv2_target_marker();
        EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', companion);
        dropped := dropped || pg_catalog.quote_ident(companion);
        actions := actions || 'dropped schema'::pg_catalog.text;
    END LOOP;
    FOR i IN 1..pg_catalog.cardinality(dropped) LOOP
        object := dropped[i];
        action := actions[i];
        RAISE NOTICE 'dskv2: %: %', object, action;
        RETURN NEXT;
    END LOOP;
END
$$;
