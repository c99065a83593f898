-- A legacy table's checkpoint in <target>.migration_state (no row: never
-- migrated by a batched run). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_migration_state(target pg_catalog.name, source_table pg_catalog.text)
RETURNS TABLE (status pg_catalog.text, rows_done pg_catalog.int8, counters pg_catalog.jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE pg_catalog.format(
        'SELECT s.status, s.rows_done, s.counters FROM %I.migration_state s WHERE s.source_table = $1', target)
        USING source_table;
END
$$;
