-- Live sync from `source` into `target` (docs/switch.md, "Live sync"). Attaches dskv2_sync (AFTER
-- INSERT OR UPDATE OR DELETE FOR EACH ROW) and dskv2_sync_truncate (BEFORE
-- TRUNCATE, refused) to every legacy table and auth.users, then catches up in
-- the same transaction. Locks: SHARE ROW EXCLUSIVE on those tables until it
-- commits (writes wait, reads go on). Idempotent.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_enable(source pg_catalog.name DEFAULT 'public',
                                                         target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
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
    r record;
    c record;
    run_id pg_catalog.int8;
    other pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_sync_enable');
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
    -- Never a trigger this role could not drop later (dskv2_preflight).
    PERFORM @extschema@.dskv2_require_preflight('sync', source, target);
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
