-- The progress NOTICE of CALL dskv2_migrate (docs/api.md, "dskv2_migrate"):
-- rows done of the table's total, percentage, rate and ETA, when `every`
-- seconds have passed since the last one or the table is done. Returns true
-- when it raised one. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_progress_notice(source_table pg_catalog.text, done_before pg_catalog.int8,
                                                             done pg_catalog.int8, staged pg_catalog.int8,
                                                             started pg_catalog.timestamptz,
                                                             last_notice pg_catalog.timestamptz,
                                                             every pg_catalog.float8)
RETURNS pg_catalog.bool
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rate pg_catalog.float8;
    total pg_catalog.int8 := done_before + staged;
BEGIN
    IF pg_catalog.clock_timestamp() - last_notice < pg_catalog.make_interval(secs => every) AND done < staged THEN
        RETURN false;
    END IF;
    rate := done / GREATEST(extract(epoch FROM pg_catalog.clock_timestamp() - started), 0.001);
    RAISE NOTICE 'dskv2: % %/% rows (% %%), % rows/s, ETA %', source_table, done_before + done, total,
        pg_catalog.round(100.0 * (done_before + done) / GREATEST(total, 1), 1), pg_catalog.round(rate::pg_catalog.numeric),
        pg_catalog.make_interval(secs => pg_catalog.round(((staged - done) / GREATEST(rate, 0.001))::pg_catalog.numeric)::pg_catalog.float8);
    RETURN true;
END
$$;
