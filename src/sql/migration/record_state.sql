-- Records one table's progress in the checkpoint ledger.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_record_state(target pg_catalog.name, source_table pg_catalog.text,
                                                          run_id pg_catalog.int8, status pg_catalog.text,
                                                          rows_total pg_catalog.int8, rows_done pg_catalog.int8,
                                                          last_seq pg_catalog.int8, counters pg_catalog.jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format($sql$
        INSERT INTO %I.migration_state AS s (source_table, target_table, run_id, status, rows_total, rows_done,
                                             last_seq, counters, migrated_once, started_at, updated_at)
        SELECT $1, m.target_table, $2, $3, $4, $5, $6, $7, $3 = 'done', pg_catalog.clock_timestamp(),
               pg_catalog.clock_timestamp()
          FROM @extschema@.dskv2_catalog_mappings() m WHERE m.source_table = $1
        ON CONFLICT (source_table) DO UPDATE
           SET run_id = EXCLUDED.run_id, status = EXCLUDED.status, rows_total = EXCLUDED.rows_total,
               rows_done = EXCLUDED.rows_done, last_seq = EXCLUDED.last_seq, counters = EXCLUDED.counters,
               migrated_once = s.migrated_once OR EXCLUDED.migrated_once,
               started_at = CASE WHEN s.run_id IS DISTINCT FROM EXCLUDED.run_id THEN EXCLUDED.started_at
                                 ELSE s.started_at END,
               updated_at = EXCLUDED.updated_at$sql$, target)
        USING source_table, run_id, status, rows_total, rows_done, last_seq, counters;
END
$$;
