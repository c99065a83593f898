-- Batched, resumable migration (docs/api.md, "Functions"): commits every batch together with
-- its checkpoint, so a crash, cancel or kill loses at most one batch, and the
-- next CALL resumes. No SET clause and not SECURITY DEFINER (either forbids
-- COMMIT): it pins search_path itself in every transaction it runs and
-- qualifies every name.
CREATE OR REPLACE PROCEDURE @extschema@.dskv2_migrate(source pg_catalog.name DEFAULT 'public',
                                                      target pg_catalog.name DEFAULT 'dropskills_v2',
                                                      batch_size pg_catalog.int4 DEFAULT 10000)
LANGUAGE plpgsql
AS $$
DECLARE
    m record;
    st record;
    c record;
    run_id pg_catalog.int8;
    batch_sql pg_catalog.text;
    staged pg_catalog.int8;
    done_before pg_catalog.int8;
    last_seq pg_catalog.int8;
    total pg_catalog.int8;
    acc pg_catalog.jsonb;
    report pg_catalog.jsonb := '[]';
    batches pg_catalog.int4 := 0;
    fail_after pg_catalog.int4;
    lock_retries pg_catalog.int4;
    pause_ms pg_catalog.int4;
    notice_every pg_catalog.float8;
    last_notice pg_catalog.timestamptz;
    table_started pg_catalog.timestamptz;
    rate pg_catalog.float8;
    failed pg_catalog.bool;
    e_state pg_catalog.text;
    e_message pg_catalog.text;
    e_detail pg_catalog.text;
    e_hint pg_catalog.text;
    sync_run pg_catalog.int8;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF @extschema@.dskv2_in_transaction_block() THEN
        RAISE EXCEPTION 'dskv2: CALL dskv2_migrate must run as a statement of its own, outside a transaction block'
            USING ERRCODE = '2D000',
                  HINT = 'It commits every batch. Run it without BEGIN, or use dskv2_migrate_all() for one transaction.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'dskv2: batch_size must be a positive integer, not %', batch_size USING ERRCODE = '22023';
    END IF;
    fail_after := NULLIF(pg_catalog.current_setting('dskv2.fail_after_batches', true), '')::pg_catalog.int4;
    pause_ms := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.batch_pause_ms', true), '')::pg_catalog.int4, 0);
    notice_every := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.progress_interval', true), '')::pg_catalog.float8, 5);
    lock_retries := GREATEST(COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_retries', true), '')::pg_catalog.int4, 8), 1);

    PERFORM @extschema@.dskv2_take_lock(target, true);
    PERFORM @extschema@.dskv2_check_source(source, target);
    -- A target this run creates gets its foreign keys once loaded (at the end
    -- of the run that completes it); an existing one keeps them throughout.
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL THEN
        PERFORM @extschema@.dskv2_create_tables(target);
    ELSIF EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_foreign_keys() k
                    JOIN pg_catalog.pg_constraint con
                      ON con.conrelid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, k.table_name))
                     AND con.conname = k.constraint_name
                   WHERE k.parent_schema = 'target') THEN
        PERFORM @extschema@.dskv2_create_schema(target);
    ELSE
        PERFORM @extschema@.dskv2_create_tables(target);
    END IF;
    PERFORM @extschema@.dskv2_bump_identities(source, target);
    run_id := @extschema@.dskv2_start_run(target, 'batched',
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'batch_size', batch_size));
    COMMIT;

    FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t ORDER BY t.ord LOOP
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        EXECUTE pg_catalog.format('SELECT s.* FROM %I.migration_state s WHERE s.source_table = $1', target)
            INTO st USING m.source_table;
        IF st.status IS NOT DISTINCT FROM 'running' THEN
            -- Resume: what the interrupted run committed stays; the rest is staged again.
            done_before := st.rows_done;
            acc := st.counters;
        ELSE
            done_before := 0;
            acc := '{"rows_read": 0, "rows_written": 0, "rows_merged": 0, "rows_rejected": 0, "warnings": 0}';
        END IF;
        -- Stage: the pending rows mapped once, set-based, numbered in processing
        -- order, in a temporary table (no WAL; rebuilt from legacy on resume).
        DROP TABLE IF EXISTS pg_temp.dskv2_stage;
        PERFORM @extschema@.dskv2_build_stage(m.source_table, source, target);
        SELECT pg_catalog.count(*) INTO staged FROM pg_temp.dskv2_stage;
        total := done_before + staged;
        last_seq := 0;
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total, done_before, 0, acc);
        IF done_before > 0 THEN
            RAISE NOTICE 'dskv2: resuming % at row % of %', m.source_table, done_before, total;
        END IF;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        batch_sql := @extschema@.dskv2_mapping_sql(m.source_table, 'migrate', source, target, run_id, 'staged');
        table_started := pg_catalog.clock_timestamp();
        last_notice := table_started;

        LOOP
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            EXIT WHEN last_seq >= staged;
            failed := false;
            FOR attempt IN 1..lock_retries LOOP
            BEGIN
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'staged',
                                                                   NULL, batch_sql, last_seq, last_seq + batch_size);
                failed := false;
                EXIT;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                        e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
                failed := true;
                -- A lock the application holds on a V2 table: back off, retry the batch.
                EXIT WHEN e_state <> '55P03' OR attempt >= lock_retries;
                RAISE NOTICE 'dskv2: % batch waits for a lock, retrying (attempt %/%)', m.source_table, attempt, lock_retries;
                PERFORM pg_catalog.pg_sleep(LEAST(0.1 * 2 ^ (attempt - 1), 5));
            END;
            END LOOP;
            IF NOT failed THEN
                acc := pg_catalog.jsonb_build_object(
                    'rows_read', (acc->>'rows_read')::pg_catalog.int8 + c.rows_read,
                    'rows_written', (acc->>'rows_written')::pg_catalog.int8 + c.rows_written,
                    'rows_merged', (acc->>'rows_merged')::pg_catalog.int8 + c.rows_merged,
                    'rows_rejected', (acc->>'rows_rejected')::pg_catalog.int8 + c.rows_rejected,
                    'warnings', (acc->>'warnings')::pg_catalog.int8 + c.warnings);
                last_seq := LEAST(last_seq + batch_size, staged);
                -- The checkpoint commits with the batch it describes.
                PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total,
                                                       done_before + last_seq, last_seq, acc);
            ELSE
                PERFORM @extschema@.dskv2_finish_run(target, run_id, 'failed', report,
                    pg_catalog.format('%s: %s (table %s, after row %s)', e_state, e_message, m.source_table,
                                      done_before + last_seq));
                PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
                COMMIT;
                RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, DETAIL = COALESCE(e_detail, ''),
                                      HINT = COALESCE(e_hint, 'Fix the cause and CALL dskv2_migrate again: it resumes.');
            END IF;
            COMMIT;
            batches := batches + 1;
            IF pg_catalog.clock_timestamp() - last_notice >= pg_catalog.make_interval(secs => notice_every)
               OR last_seq >= staged THEN
                rate := last_seq / GREATEST(extract(epoch FROM pg_catalog.clock_timestamp() - table_started), 0.001);
                RAISE NOTICE 'dskv2: % %/% rows (% %%), % rows/s, ETA %', m.source_table, done_before + last_seq, total,
                    round(100.0 * (done_before + last_seq) / GREATEST(total, 1), 1), round(rate::pg_catalog.numeric),
                    pg_catalog.make_interval(secs => round(((staged - last_seq) / GREATEST(rate, 0.001))::pg_catalog.numeric)::pg_catalog.float8);
                last_notice := pg_catalog.clock_timestamp();
            END IF;
            -- Fault injection for tests: stop as a crash would, after N committed batches.
            IF fail_after IS NOT NULL AND batches >= fail_after THEN
                RAISE EXCEPTION 'dskv2: injected fault after % batches (dskv2.fail_after_batches)', batches
                    USING ERRCODE = '57014';
            END IF;
            -- Be gentle with a busy server: a configurable pause, and no competing
            -- with autovacuum on the table being written.
            IF pause_ms > 0 THEN
                PERFORM pg_catalog.pg_sleep(pause_ms / 1000.0);
            END IF;
            FOR i IN 1..600 LOOP
                EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_vacuum v
                                       WHERE v.relid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, m.target_table)));
                PERFORM pg_catalog.pg_sleep(0.1);
            END LOOP;
        END LOOP;

        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'done', total, total, last_seq, acc);
        DROP TABLE IF EXISTS pg_temp.dskv2_stage;
        report := report || pg_catalog.jsonb_build_array(acc || pg_catalog.jsonb_build_object(
            'source_table', m.source_table, 'target_table', m.target_table));
        RAISE NOTICE 'dskv2: % done: % read, % written, % merged, % rejected, % warnings', m.source_table,
            acc->>'rows_read', acc->>'rows_written', acc->>'rows_merged', acc->>'rows_rejected', acc->>'warnings';
        COMMIT;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    -- Live sync turned on while this run went (dskv2_sync_enable holds this
    -- lock until it commits): rows changed after they were staged, or added
    -- after, are caught up, one table per transaction. Without it, the lock
    -- makes a sync_enable wait for the end of this run, whose rows it then
    -- catches up itself.
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1685285684, @extschema@.dskv2_lock_key(target));
    sync_run := @extschema@.dskv2_sync_run(source, target);
    IF sync_run IS NOT NULL THEN
        FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t ORDER BY t.ord LOOP
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            PERFORM pg_catalog.count(*) FROM @extschema@.dskv2_sync_catch_up(source, target, sync_run, true,
                                                                             ARRAY[m.source_table]);
            COMMIT;
        END LOOP;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    END IF;
    PERFORM @extschema@.dskv2_add_constraints(target);
    -- Like the foreign keys, the triggers of a target this run created come
    -- once it is loaded; an existing target had them (dskv2_create_schema above).
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_finish_run(target, run_id, 'completed', report);
    PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
    COMMIT;
END
$$;
