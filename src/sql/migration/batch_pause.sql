-- Between two batches of CALL dskv2_migrate: the pause dskv2.batch_pause_ms
-- asks for, then no competing with a vacuum of the V2 table being written
-- (waits for it, at most 60 s). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_batch_pause(target pg_catalog.name, target_table pg_catalog.text,
                                                         pause_ms pg_catalog.int4)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pause_ms > 0 THEN
        PERFORM pg_catalog.pg_sleep(pause_ms / 1000.0);
    END IF;
    FOR i IN 1..600 LOOP
        EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_vacuum v
                               WHERE v.relid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, target_table)));
        PERFORM pg_catalog.pg_sleep(0.1);
    END LOOP;
END
$$;
