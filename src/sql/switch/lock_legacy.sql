-- Locks every legacy table live sync watches in SHARE ROW EXCLUSIVE mode (what
-- CREATE TRIGGER takes), all in one statement under a short lock_timeout with
-- retries: writers finish first, new ones wait until the transaction ends,
-- readers go on. Taking them one by one could deadlock with a writer that
-- touches two of them.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_lock_legacy(source pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rels pg_catalog.text;
BEGIN
    SELECT pg_catalog.string_agg(r.rel::pg_catalog.text, ', ' ORDER BY r.ord) INTO rels
      FROM @extschema@.dskv2_sync_relations(source) r
     WHERE r.rel IS NOT NULL;
    IF rels IS NOT NULL THEN
        PERFORM @extschema@.dskv2_ddl_with_retry('LOCK TABLE ' || rels || ' IN SHARE ROW EXCLUSIVE MODE', 'the legacy tables ' || rels);
    END IF;
END
$$;
