-- Turns live sync off: drops its triggers (the tables locked all at once, an
-- instant, under a short lock_timeout with retries) and closes its run. Both
-- schemas stay as they are.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_disable(source pg_catalog.name DEFAULT 'public',
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
    rels pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_sync_disable');
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
        PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN ACCESS EXCLUSIVE MODE', 'the tables ' || rels);
    END IF;
    FOR r IN SELECT t.tgrelid::pg_catalog.regclass AS rel, t.tgname
               FROM pg_catalog.pg_trigger t JOIN @extschema@.dskv2_sync_relations(source) s ON s.rel = t.tgrelid
              WHERE t.tgname IN ('dskv2_sync', 'dskv2_sync_truncate', 'dskv2_sync_flush')
                AND @extschema@.dskv2_trigger_target(t.tgargs) = target
              ORDER BY s.ord, t.tgname LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
    IF pg_catalog.to_regclass(pg_catalog.format('%I.registrations', @extschema@.dskv2_private_schema(target))) IS NOT NULL THEN
        EXECUTE pg_catalog.format('DELETE FROM %I.registrations WHERE kind = ''sync'' AND source = $1',
                                  @extschema@.dskv2_private_schema(target))
            USING source;
    END IF;
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = ''completed'', finished_at = pg_catalog.clock_timestamp()
                                WHERE mode = ''sync'' AND status = ''running'' AND params->>''source'' = $1', target)
        USING source::pg_catalog.text;
    RAISE NOTICE 'dskv2: live sync from % into % is off', source, target;
END
$$;
