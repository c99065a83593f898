-- A batch's counters added to the running totals of its table (the counters
-- of <target>.migration_state). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_add_counters(acc pg_catalog.jsonb, rows_read pg_catalog.int8,
                                                          rows_written pg_catalog.int8, rows_merged pg_catalog.int8,
                                                          rows_rejected pg_catalog.int8, warnings pg_catalog.int8)
RETURNS pg_catalog.jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.jsonb_build_object(
        'rows_read', (acc->>'rows_read')::pg_catalog.int8 + rows_read,
        'rows_written', (acc->>'rows_written')::pg_catalog.int8 + rows_written,
        'rows_merged', (acc->>'rows_merged')::pg_catalog.int8 + rows_merged,
        'rows_rejected', (acc->>'rows_rejected')::pg_catalog.int8 + rows_rejected,
        'warnings', (acc->>'warnings')::pg_catalog.int8 + warnings)
$$;
