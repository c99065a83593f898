-- The running live sync from `source` into `target`: its run id, or NULL.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_run(source pg_catalog.name, target pg_catalog.name)
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
