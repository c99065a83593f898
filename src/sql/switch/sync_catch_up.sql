-- The catch-up of live sync, per legacy table in report order, each under the
-- table's sync lock (held exclusively to the end of the transaction):
--   * pending: legacy rows never examined yet, of tables a migration has
--     completed (a running batched migration keeps its own), are migrated,
--     and quarantined rows are re-evaluated (a child synced before its parent);
--   * every V2 row, merge or quarantine record whose legacy row changed or
--     went since is brought in line (dskv2_mapping_sql 'reconcile').
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_catch_up(source pg_catalog.name, target pg_catalog.name,
                                                           run_id pg_catalog.int8, pending pg_catalog.bool,
                                                           tables pg_catalog.text[] DEFAULT NULL)
RETURNS TABLE (source_table pg_catalog.text, migrated pg_catalog.int8, caught_up pg_catalog.int8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
DECLARE
    m record;
    c record;
    st pg_catalog.text;
    keys pg_catalog.text[];
    previous_work_mem pg_catalog.text := pg_catalog.current_setting('work_mem');
BEGIN
    -- The comparison of every legacy row with V2 hashes whole tables, as the
    -- one-transaction migration does (dskv2.work_mem, default 256MB); put back below.
    PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''), '256MB'), true);
    FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t
              WHERE tables IS NULL OR t.source_table = ANY (tables) ORDER BY t.ord LOOP
        source_table := m.source_table;
        migrated := 0;
        caught_up := 0;
        PERFORM @extschema@.dskv2_lock_mapping(target, m.source_table);
        IF pending THEN
            EXECUTE pg_catalog.format('SELECT s.status FROM %I.migration_state s WHERE s.source_table = $1', target)
                INTO st USING m.source_table;
            IF st IS NOT DISTINCT FROM 'done' THEN
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'pending');
                migrated := c.rows_read;
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'quarantined');
                migrated := migrated + c.rows_written + c.rows_merged;
            END IF;
        END IF;
        EXECUTE 'SELECT pg_catalog.array_agg(r.k ORDER BY r.k) FROM ('
                || @extschema@.dskv2_mapping_sql(m.source_table, 'reconcile', source, target) || ') r'
            INTO keys;
        IF keys IS NOT NULL THEN
            PERFORM @extschema@.dskv2_sync_keys(m.source_table, source, target, run_id, keys, false);
            caught_up := pg_catalog.cardinality(keys);
        END IF;
        IF migrated + caught_up > 0 THEN
            RAISE NOTICE 'dskv2: catch-up of %: % rows migrated, % keys brought in line', m.source_table, migrated, caught_up;
        END IF;
        RETURN NEXT;
    END LOOP;
    PERFORM pg_catalog.set_config('work_mem', previous_work_mem, true);
END
$$;
