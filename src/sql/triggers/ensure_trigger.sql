-- Runs `statement` (a CREATE TRIGGER) when `rel` has no trigger `name`, under
-- a short lock_timeout with retries. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ensure_trigger(rel pg_catalog.regclass, name pg_catalog.name,
                                                            statement pg_catalog.text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = rel AND t.tgname = name) THEN
        PERFORM @extschema@.dskv2_ddl_with_retry(statement, pg_catalog.format('table %s', rel));
    END IF;
END
$$;
