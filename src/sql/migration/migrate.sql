-- Batched, resumable migration (docs/api.md, "Functions"): commits every batch together with
-- its checkpoint, so a crash, cancel or kill loses at most one batch, and the
-- next CALL resumes. No SET clause and not SECURITY DEFINER (either forbids
-- COMMIT): every transaction it runs starts with dskv2_pin_settings(), every
-- operator is written OPERATOR(pg_catalog.op) and every function qualified
-- (docs/security.md, "Pinned settings"; scripts/lint.sh checks both), so
-- nothing the caller's search_path holds is ever called.
CREATE OR REPLACE PROCEDURE @extschema@.dskv2_migrate(source pg_catalog.name DEFAULT 'public',
                                                      target pg_catalog.name DEFAULT 'dropskills_v2',
                                                      batch_size pg_catalog.int4 DEFAULT 10000)
LANGUAGE plpgsql
AS $$
DECLARE
    m record;
    st record;
    c record;
    opt record;
    run_id pg_catalog.int8;
    batch_sql pg_catalog.text;
    staged pg_catalog.int8;
    done_before pg_catalog.int8;
    last_seq pg_catalog.int8;
    total pg_catalog.int8;
    acc pg_catalog.jsonb;
    report pg_catalog.jsonb := '[]';
    batches pg_catalog.int4 := 0;
    last_notice pg_catalog.timestamptz;
    table_started pg_catalog.timestamptz;
    failed pg_catalog.bool;
    e_state pg_catalog.text;
    e_message pg_catalog.text;
    e_detail pg_catalog.text;
    e_hint pg_catalog.text;
    sync_run pg_catalog.int8;
BEGIN
    PERFORM @extschema@.dskv2_pin_settings();
    PERFORM @extschema@.dskv2_require_origin('dskv2_migrate');
    IF @extschema@.dskv2_in_transaction_block() THEN
        RAISE EXCEPTION 'dskv2: CALL dskv2_migrate must run as a statement of its own, outside a transaction block'
            USING ERRCODE = '2D000',
                  HINT = 'It commits every batch. Run it without BEGIN, or use dskv2_migrate_all() for one transaction.';
    END IF;
    IF batch_size IS NULL OR batch_size OPERATOR(pg_catalog.<) 1 THEN
        RAISE EXCEPTION 'dskv2: batch_size must be a positive integer, not %', batch_size USING ERRCODE = '22023';
    END IF;
    SELECT * INTO opt FROM @extschema@.dskv2_migrate_options();

    PERFORM @extschema@.dskv2_take_lock(target, true);
    PERFORM @extschema@.dskv2_check_source(source, target);
    -- A target this run creates gets its foreign keys once loaded (at the end
    -- of the run that completes it); an existing one keeps them throughout.
    IF @extschema@.dskv2_has_target_foreign_keys(target) THEN
        PERFORM @extschema@.dskv2_create_schema(target);
    ELSE
        PERFORM @extschema@.dskv2_create_tables(target);
    END IF;
    PERFORM @extschema@.dskv2_bump_identities(source, target);
    run_id := @extschema@.dskv2_start_run(target, 'batched',
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'batch_size', batch_size));
    COMMIT;
    PERFORM @extschema@.dskv2_pin_settings();

    FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t ORDER BY t.ord LOOP
        PERFORM @extschema@.dskv2_pin_settings();
        SELECT * INTO st FROM @extschema@.dskv2_migration_state(target, m.source_table);
        IF COALESCE(st.status OPERATOR(pg_catalog.=) 'running', false) THEN
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
        total := done_before OPERATOR(pg_catalog.+) staged;
        last_seq := 0;
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total, done_before, 0, acc);
        IF done_before OPERATOR(pg_catalog.>) 0 THEN
            RAISE NOTICE 'dskv2: resuming % at row % of %', m.source_table, done_before, total;
        END IF;
        COMMIT;
        PERFORM @extschema@.dskv2_pin_settings();
        batch_sql := @extschema@.dskv2_mapping_sql(m.source_table, 'migrate', source, target, run_id, 'staged');
        table_started := pg_catalog.clock_timestamp();
        last_notice := table_started;

        LOOP
            PERFORM @extschema@.dskv2_pin_settings();
            EXIT WHEN last_seq OPERATOR(pg_catalog.>=) staged;
            failed := false;
            FOR attempt IN 1..opt.lock_retries LOOP
            BEGIN
                SELECT * INTO c FROM @extschema@.dskv2_run_mapping(m.source_table, source, target, run_id, 'staged',
                                                                   NULL, batch_sql, last_seq,
                                                                   last_seq OPERATOR(pg_catalog.+) batch_size);
                failed := false;
                EXIT;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
                                        e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
                failed := true;
                -- A lock the application holds on a V2 table: back off, retry the batch.
                EXIT WHEN e_state OPERATOR(pg_catalog.<>) '55P03' OR attempt OPERATOR(pg_catalog.>=) opt.lock_retries;
                RAISE NOTICE 'dskv2: % batch waits for a lock, retrying (attempt %/%)', m.source_table, attempt,
                    opt.lock_retries;
                PERFORM @extschema@.dskv2_backoff(attempt);
            END;
            END LOOP;
            IF NOT failed THEN
                acc := @extschema@.dskv2_add_counters(acc, c.rows_read, c.rows_written, c.rows_merged, c.rows_rejected,
                                                      c.warnings);
                last_seq := pg_catalog.int8smaller(last_seq OPERATOR(pg_catalog.+) batch_size, staged);
                -- The checkpoint commits with the batch it describes.
                PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'running', total,
                                                       done_before OPERATOR(pg_catalog.+) last_seq, last_seq, acc);
            ELSE
                PERFORM @extschema@.dskv2_finish_run(target, run_id, 'failed', report,
                    pg_catalog.format('%s: %s (table %s, after row %s)', e_state, e_message, m.source_table,
                                      done_before OPERATOR(pg_catalog.+) last_seq));
                PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
                COMMIT;
                PERFORM @extschema@.dskv2_pin_settings();
                RAISE EXCEPTION USING ERRCODE = e_state, MESSAGE = e_message, DETAIL = COALESCE(e_detail, ''),
                                      HINT = COALESCE(e_hint,
                                                                 'Fix the cause and CALL dskv2_migrate again: it resumes.');
            END IF;
            COMMIT;
            PERFORM @extschema@.dskv2_pin_settings();
            batches := batches OPERATOR(pg_catalog.+) 1;
            IF @extschema@.dskv2_progress_notice(m.source_table, done_before, last_seq, staged, table_started,
                                                 last_notice, opt.notice_every) THEN
                last_notice := pg_catalog.clock_timestamp();
            END IF;
            -- Fault injection for tests: stop as a crash would, after N committed batches.
            IF opt.fail_after IS NOT NULL AND batches OPERATOR(pg_catalog.>=) opt.fail_after THEN
                RAISE EXCEPTION 'dskv2: injected fault after % batches (dskv2.fail_after_batches)', batches
                    USING ERRCODE = '57014';
            END IF;
            -- Be gentle with a busy server: a configurable pause, and no competing
            -- with autovacuum on the table being written.
            PERFORM @extschema@.dskv2_batch_pause(target, m.target_table, opt.pause_ms);
        END LOOP;

        PERFORM @extschema@.dskv2_pin_settings();
        PERFORM @extschema@.dskv2_record_state(target, m.source_table, run_id, 'done', total, total, last_seq, acc);
        DROP TABLE IF EXISTS pg_temp.dskv2_stage;
        report := @extschema@.dskv2_report_table(report, acc, m.source_table, m.target_table);
        COMMIT;
        PERFORM @extschema@.dskv2_pin_settings();
    END LOOP;
    PERFORM @extschema@.dskv2_pin_settings();
    -- Live sync turned on while this run went (dskv2_sync_enable holds this
    -- lock until it commits): rows changed after they were staged, or added
    -- after, are caught up, one table per transaction. Without it, the lock
    -- makes a sync_enable wait for the end of this run, whose rows it then
    -- catches up itself.
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(1685285684, @extschema@.dskv2_lock_key(target));
    sync_run := @extschema@.dskv2_sync_run(source, target);
    IF sync_run IS NOT NULL THEN
        FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t ORDER BY t.ord LOOP
            PERFORM @extschema@.dskv2_pin_settings();
            PERFORM pg_catalog.count(*) FROM @extschema@.dskv2_sync_catch_up(source, target, sync_run, true,
                                                                             ARRAY[m.source_table]);
            COMMIT;
            PERFORM @extschema@.dskv2_pin_settings();
        END LOOP;
    END IF;
    PERFORM @extschema@.dskv2_add_constraints(target);
    -- Like the foreign keys, the triggers of a target this run created come
    -- once it is loaded; an existing target had them (dskv2_create_schema above).
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_api_schema(target);
    PERFORM @extschema@.dskv2_finish_run(target, run_id, 'completed', report);
    PERFORM @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), false);
    COMMIT;
END
$$;
