-- The mapping applied to some legacy keys, as live sync applies it to one
-- (the same statements, from the core): returns the rows changed in V2. A
-- merging mapping's groups are taken apart, then written again from legacy.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_keys(source_table pg_catalog.text, source pg_catalog.name,
                                                       target pg_catalog.name, run_id pg_catalog.int8,
                                                       keys pg_catalog.text[], deleting pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
SET jit = off
AS $$
DECLARE
    released pg_catalog.text[];
    c record;
    n pg_catalog.int8 := 0;
    previous_suppress pg_catalog.bool;
    previous_writing pg_catalog.bool;
BEGIN
    IF keys IS NULL OR pg_catalog.cardinality(keys) = 0 THEN
        RETURN 0;
    END IF;
    PERFORM @extschema@.dskv2_lock_mapping(target, source_table);
    previous_suppress := @extschema@.dskv2_audit_suppress(true);
    previous_writing := @extschema@.dskv2_set_sync_writing(true);
    IF (SELECT m.merge <> 'none' FROM @extschema@.dskv2_catalog_mappings() m WHERE m.source_table = $1) THEN
        EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'sync', source, target, run_id, 'sync')
            INTO c USING keys, deleting;
        released := c.keys;
        n := c.rows_unlinked + c.rows_rejected;
        IF pg_catalog.cardinality(released) > 0 THEN
            EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'migrate', source, target, run_id, 'keys')
                INTO c USING released;
            n := n + c.rows_written + c.rows_merged;
        END IF;
    ELSE
        EXECUTE @extschema@.dskv2_mapping_sql(source_table, 'sync', source, target, run_id, 'sync')
            INTO c USING keys, deleting;
        n := c.rows_written + c.rows_updated + c.rows_deleted + c.rows_rejected;
    END IF;
    PERFORM @extschema@.dskv2_set_sync_writing(previous_writing);
    PERFORM @extschema@.dskv2_audit_suppress(previous_suppress);
    RETURN n;
END
$$;
