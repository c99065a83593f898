-- A batched run's stage for one legacy table: pg_temp.dskv2_stage, the pending
-- rows mapped in one set-based pass (as a one-transaction run maps them),
-- numbered in processing order and indexed by that number.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_build_stage(source_table pg_catalog.text, source pg_catalog.name,
                                                         target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
BEGIN
    -- A whole-table statement: its sorts and hashes are bounded by
    -- dskv2.stage_work_mem (default 8MB), not by the table's size.
    PERFORM pg_catalog.set_config('work_mem',
        COALESCE(NULLIF(pg_catalog.current_setting('dskv2.stage_work_mem', true), ''), '8MB'), true);
    EXECUTE 'CREATE TEMPORARY TABLE dskv2_stage AS '
        || @extschema@.dskv2_mapping_sql(source_table, 'stage', source, target);
    -- The batches read it by _seq ranges (the planner sizes it from its pages).
    CREATE INDEX ON pg_temp.dskv2_stage (_seq);
END
$$;
