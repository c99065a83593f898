-- Marks runs whose backend is gone (crash, kill, cancel) as interrupted.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_close_stale_runs(target pg_catalog.name)
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
