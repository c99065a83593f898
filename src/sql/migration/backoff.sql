-- Sleeps before attempt `attempt` + 1 of a batch that waited for a lock:
-- 0.1 s, doubling, at most 5 s. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_backoff(attempt pg_catalog.int4)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.pg_sleep(LEAST(0.1 * 2 ^ (attempt - 1), 5)) $$;
