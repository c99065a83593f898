-- A table done by CALL dskv2_migrate: its NOTICE, and its counters appended to
-- the run's report (<target>.migration_runs.report). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_report_table(report pg_catalog.jsonb, acc pg_catalog.jsonb,
                                                          source_table pg_catalog.text, target_table pg_catalog.text)
RETURNS pg_catalog.jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE NOTICE 'dskv2: % done: % read, % written, % merged, % rejected, % warnings', source_table,
        acc->>'rows_read', acc->>'rows_written', acc->>'rows_merged', acc->>'rows_rejected', acc->>'warnings';
    RETURN report || pg_catalog.jsonb_build_array(acc || pg_catalog.jsonb_build_object(
        'source_table', source_table, 'target_table', target_table));
END
$$;
