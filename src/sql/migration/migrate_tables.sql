-- One-transaction migration of the given legacy tables (all when NULL), in
-- report order. Shared by dskv2_migrate_all, dskv2_migrate_table and dskv2_retry_rejects.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_migrate_tables(source pg_catalog.name, target pg_catalog.name,
                                                            tables pg_catalog.text[], mode pg_catalog.text)
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, rows_read pg_catalog.int8,
               rows_written pg_catalog.int8, rows_merged pg_catalog.int8, rows_rejected pg_catalog.int8,
               warnings pg_catalog.int8, duration_ms pg_catalog.numeric)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m record;
    run_id pg_catalog.int8;
    started pg_catalog.timestamptz;
    counters record;
    report pg_catalog.jsonb := '[]';
    fresh pg_catalog.bool;
BEGIN
    PERFORM @extschema@.dskv2_require_origin(CASE mode WHEN 'retry' THEN 'dskv2_retry_rejects'
        WHEN 'atomic' THEN 'dskv2_migrate_all' ELSE 'dskv2_migrate_table' END);
    PERFORM @extschema@.dskv2_take_lock(target, false);
    PERFORM @extschema@.dskv2_check_source(source, target, tables);
    fresh := pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL;
    -- A new target gets its foreign keys after the load (same transaction).
    PERFORM @extschema@.dskv2_create_tables(target);
    IF NOT fresh THEN
        PERFORM @extschema@.dskv2_add_constraints(target);
    END IF;
    PERFORM @extschema@.dskv2_bump_identities(source, target);
    run_id := @extschema@.dskv2_start_run(target, mode,
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'tables', tables));

    FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t
              WHERE tables IS NULL OR t.source_table = ANY (tables) ORDER BY t.ord LOOP
        IF mode <> 'retry' THEN
            PERFORM @extschema@.dskv2_check_parents(m.source_table, target);
        END IF;
        RAISE NOTICE 'dskv2: % -> %.% ...', m.source_table, target, m.target_table;
        started := pg_catalog.clock_timestamp();
        SELECT * INTO counters FROM @extschema@.dskv2_run_mapping(
            m.source_table, source, target, run_id, CASE WHEN mode = 'retry' THEN 'quarantined' ELSE 'pending' END);
        source_table := m.source_table;
        target_table := m.target_table;
        rows_read := counters.rows_read;
        rows_written := counters.rows_written;
        rows_merged := counters.rows_merged;
        rows_rejected := counters.rows_rejected;
        warnings := counters.warnings;
        duration_ms := round((extract(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::pg_catalog.numeric, 3);
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'done', rows_read, rows_read, 0,
            pg_catalog.jsonb_build_object('rows_read', rows_read, 'rows_written', rows_written,
                                          'rows_merged', rows_merged, 'rows_rejected', rows_rejected,
                                          'warnings', warnings));
        RAISE NOTICE 'dskv2: % done: % read, % written, % merged, % rejected, % warnings',
            m.source_table, rows_read, rows_written, rows_merged, rows_rejected, warnings;
        report := report || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
            'source_table', source_table, 'target_table', target_table, 'rows_read', rows_read,
            'rows_written', rows_written, 'rows_merged', rows_merged, 'rows_rejected', rows_rejected,
            'warnings', warnings));
        RETURN NEXT;
    END LOOP;
    IF fresh THEN
        RAISE NOTICE 'dskv2: adding foreign keys and indexes';
        PERFORM @extschema@.dskv2_add_constraints(target);
    END IF;
    -- A target created by this transaction gets its triggers once loaded (no
    -- one else can see it before); an existing one has them already.
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_api_schema(target);
    PERFORM @extschema@.dskv2_finish_run(target, run_id, 'completed', report);
END
$$;
