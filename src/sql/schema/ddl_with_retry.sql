-- Runs one DDL statement that locks a legacy or auth table under a short
-- lock_timeout (dskv2.lock_timeout, default 500ms), retrying with a doubling
-- backoff (dskv2.lock_retries attempts, default 8) instead of queueing behind
-- the application's transactions and blocking them in turn. `object` names
-- what the statement locks, for the error a DBA reads (never the statement).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ddl_with_retry(statement pg_catalog.text, object pg_catalog.text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    attempts pg_catalog.int4 := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_retries', true), '')::pg_catalog.int4, 8);
    timeout pg_catalog.text := COALESCE(NULLIF(pg_catalog.current_setting('dskv2.lock_timeout', true), ''), '500ms');
    previous pg_catalog.text := pg_catalog.current_setting('lock_timeout');
    pause pg_catalog.float8 := 0.05;
BEGIN
    FOR attempt IN 1..GREATEST(attempts, 1) LOOP
        BEGIN
            PERFORM pg_catalog.set_config('lock_timeout', timeout, true);
            EXECUTE statement;
            PERFORM pg_catalog.set_config('lock_timeout', previous, true);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM pg_catalog.set_config('lock_timeout', previous, true);
            IF attempt >= attempts THEN
                RAISE EXCEPTION 'dskv2: could not lock % in time', object
                    USING ERRCODE = '55P03',
                          DETAIL = pg_catalog.format('%s attempts with lock_timeout %s', attempts, timeout),
                          HINT = 'Long transactions hold a conflicting lock; retry when they are done.';
            END IF;
            RAISE NOTICE 'dskv2: lock not available, retrying in % s (attempt %/%)', pause, attempt, attempts;
            PERFORM pg_catalog.pg_sleep(pause);
            pause := LEAST(pause * 2, 5);
        END;
    END LOOP;
END
$$;
