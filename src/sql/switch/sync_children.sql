-- After live sync deleted V2 rows of a parent (a product, an auth user), V2's
-- foreign keys took their children along; legacy children that stay (the
-- legacy favorites have no foreign key) are synced again: the mapping now
-- quarantines them as orphans. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_children(parent pg_catalog.text, source pg_catalog.name,
                                                           target pg_catalog.name, run_id pg_catalog.int8,
                                                           keys pg_catalog.text[])
RETURNS pg_catalog.int8
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    child record;
    child_keys pg_catalog.text[];
    n pg_catalog.int8 := 0;
BEGIN
    -- The edges whose orphans are rejected, from the catalogue: the child
    -- relation's key, and the type of the parent's keys.
    FOR child IN SELECT e.child AS child_table, c.key_column, e.child_column AS parent_column, p.key_type,
                        @extschema@.dskv2_legacy_relation(e.child_relation, source) AS child_relation
                   FROM @extschema@.dskv2_catalog_edges() e
                   JOIN @extschema@.dskv2_catalog_legacy() c ON c.relation = e.child_relation
                   JOIN @extschema@.dskv2_catalog_legacy() p ON p.relation = e.parent
                  WHERE e.parent = $1 AND e.rejects_orphans
                  ORDER BY c.ord, e.child_column LOOP
        EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(s.%I::pg_catalog.text ORDER BY s.%I) FROM %s s WHERE s.%I = ANY ($1::%s[])',
                                  child.key_column, child.key_column, child.child_relation, child.parent_column,
                                  child.key_type)
            INTO child_keys USING keys;
        n := n + @extschema@.dskv2_sync_keys(child.child_table, source, target, run_id, child_keys, false);
    END LOOP;
    RETURN n;
END
$$;
