-- Migrates one legacy table's rows of one row set ('pending', 'keys' with
-- `keys`, 'staged' with the batch's _seq bounds, 'quarantined') in one
-- statement; returns the counters.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_run_mapping(source_table pg_catalog.text, source pg_catalog.name,
                                                         target pg_catalog.name, run_id pg_catalog.int8,
                                                         row_set pg_catalog.text, keys pg_catalog.text[] DEFAULT NULL,
                                                         prepared pg_catalog.text DEFAULT NULL,
                                                         seq_from pg_catalog.int8 DEFAULT NULL, seq_to pg_catalog.int8 DEFAULT NULL,
                                                         OUT rows_read pg_catalog.int8, OUT rows_written pg_catalog.int8,
                                                         OUT rows_merged pg_catalog.int8, OUT rows_rejected pg_catalog.int8,
                                                         OUT warnings pg_catalog.int8)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
SET lock_timeout = '5s'
AS $$
DECLARE
    -- A batched run generates its statement once per table and passes it in.
    statement pg_catalog.text := COALESCE(prepared,
        @extschema@.dskv2_mapping_sql(source_table, 'migrate', source, target, run_id, row_set));
    previous_work_mem pg_catalog.text;
    previous_suppress pg_catalog.bool;
BEGIN
    -- Legacy tables are read as they are (row_security off, from the SET
    -- clause): a role that legacy RLS would restrict gets an error, never a
    -- silent subset. No JIT compiles the large mapping statements again for
    -- every batch. Both settings are restored when the function returns.
    -- Whole-table sorts and hashes of a one-transaction run stay in memory
    -- (work_mem 256MB, dskv2.work_mem to change it).
    -- A batch keeps the session's work_mem (or dskv2.batch_work_mem): its
    -- memory must not grow with the tables. work_mem is put back below (and by
    -- the rollback on error).
    previous_work_mem := pg_catalog.current_setting('work_mem');
    -- The rows a migration writes are audited as one `migration` row per
    -- table (dskv2_finish_run), not per row: the native audit trigger checks
    -- this backend-local flag, put back below and reset at transaction end.
    previous_suppress := @extschema@.dskv2_audit_suppress(true);
    IF row_set IN ('keys', 'staged') THEN
        PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.batch_work_mem', true), ''),
                                                           previous_work_mem), true);
    ELSE
        PERFORM pg_catalog.set_config('work_mem', COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''),
                                                           '256MB'), true);
    END IF;
    -- V2 writes wait at most dskv2.lock_timeout (default 5s here) for a lock
    -- the application holds; a batched run then retries the batch.
    IF pg_catalog.current_setting('dskv2.lock_timeout', true) <> '' THEN
        PERFORM pg_catalog.set_config('lock_timeout', pg_catalog.current_setting('dskv2.lock_timeout'), true);
    END IF;
    -- Live sync of this table waits while the statement writes (and the
    -- statement for live sync's transactions that wrote the table).
    PERFORM @extschema@.dskv2_lock_mapping(target, source_table);
    IF row_set = 'keys' THEN
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings USING keys;
    ELSIF row_set = 'staged' THEN
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings USING seq_from, seq_to;
    ELSE
        EXECUTE statement INTO rows_read, rows_written, rows_merged, rows_rejected, warnings;
    END IF;
    PERFORM pg_catalog.set_config('work_mem', previous_work_mem, true);
    PERFORM @extschema@.dskv2_audit_suppress(previous_suppress);
END
$$;
