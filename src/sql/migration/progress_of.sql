-- Progress of the running or last migration into `target`, per legacy table,
-- from committed data: readable from another session.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_progress_of(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (table_name pg_catalog.text, rows_done pg_catalog.int8, rows_total pg_catalog.int8,
               percent pg_catalog.numeric, rows_per_second pg_catalog.numeric, eta pg_catalog.interval)
LANGUAGE plpgsql STABLE
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
BEGIN
    IF pg_catalog.to_regclass(pg_catalog.format('%I.migration_state', target)) IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format($sql$
        SELECT s.source_table, s.rows_done, s.rows_total,
               round(100.0 * s.rows_done / GREATEST(s.rows_total, 1), 1),
               round((s.rows_done / GREATEST(extract(epoch FROM s.updated_at - s.started_at), 0.001))::pg_catalog.numeric),
               CASE WHEN s.status = 'done' OR s.rows_done >= s.rows_total THEN '0'::pg_catalog.interval
                    WHEN s.rows_done = 0 THEN NULL
                    ELSE pg_catalog.make_interval(secs => ((s.rows_total - s.rows_done)
                         * extract(epoch FROM s.updated_at - s.started_at) / s.rows_done)::pg_catalog.float8) END
          FROM %I.migration_state s
          JOIN @extschema@.dskv2_catalog_mappings() m ON m.source_table = s.source_table
         ORDER BY m.ord$sql$, target);
END
$$;
