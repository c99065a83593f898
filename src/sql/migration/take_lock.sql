-- Takes the migration lock of `target` (transaction-level for a one-transaction
-- run, session-level for a batched run), or raises 55P03 naming the holder.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_take_lock(target pg_catalog.name, session_level pg_catalog.bool)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    got pg_catalog.bool;
    holder pg_catalog.int4;
BEGIN
    IF session_level THEN
        got := @extschema@.dskv2_session_lock(1685285682, @extschema@.dskv2_lock_key(target), true);
    ELSE
        got := pg_catalog.pg_try_advisory_xact_lock(1685285682, @extschema@.dskv2_lock_key(target));
    END IF;
    IF NOT got THEN
        SELECT l.pid INTO holder FROM pg_catalog.pg_locks l
         WHERE l.locktype = 'advisory' AND l.classid = 1685285682
           AND l.objid = @extschema@.dskv2_lock_key(target)::pg_catalog.oid AND l.objsubid = 2 AND l.granted
         LIMIT 1;
        RAISE EXCEPTION 'dskv2: another migration into "%" is running (pid %)', target, holder
            USING ERRCODE = '55P03',
                  HINT = 'Wait for it to finish, or stop it with pg_cancel_backend(pid).';
    END IF;
END
$$;
