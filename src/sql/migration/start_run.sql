-- Starts a run in <target>.migration_runs (after marking the runs of dead
-- backends interrupted) and returns its id. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_start_run(target pg_catalog.name, mode pg_catalog.text, params pg_catalog.jsonb)
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
