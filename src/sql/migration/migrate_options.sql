-- The settings CALL dskv2_migrate reads once per call (docs/api.md, "Settings"):
-- dskv2.fail_after_batches (fault injection), dskv2.batch_pause_ms,
-- dskv2.progress_interval (seconds between progress notices) and
-- dskv2.lock_retries (attempts of a batch that waits for a lock). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_migrate_options()
RETURNS TABLE (fail_after pg_catalog.int4, pause_ms pg_catalog.int4, notice_every pg_catalog.float8,
               lock_retries pg_catalog.int4)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    fail_after := NULLIF(pg_catalog.current_setting('dskv2.fail_after_batches', true), '')::pg_catalog.int4;
    pause_ms := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.batch_pause_ms', true), '')::pg_catalog.int4, 0);
    notice_every := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.progress_interval', true), '')::pg_catalog.float8, 5);
    lock_retries := GREATEST(COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_retries', true), '')::pg_catalog.int4, 8), 1);
    RETURN NEXT;
END
$$;
