-- After live sync deleted V2 rows of a parent (products, auth.users), V2's
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
    FOR child IN SELECT * FROM (VALUES ('products', 'samples', 'id', 'product_id', 'uuid'),
                                       ('products', 'tags', 'id', 'product_id', 'uuid'),
                                       ('products', 'favorites', 'id', 'product_id', 'uuid'),
                                       ('products', 'product_stats', 'product_id', 'product_id', 'uuid'),
                                       ('auth.users', 'favorites', 'id', 'user_id', 'uuid'))
                                  AS c (parent, child_table, key_column, parent_column, key_type)
                  WHERE c.parent = $1 LOOP
        EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(s.%I::pg_catalog.text ORDER BY s.%I) FROM %I.%I s WHERE s.%I = ANY ($1::%s[])',
                                  child.key_column, child.key_column, source, child.child_table, child.parent_column,
                                  child.key_type)
            INTO child_keys USING keys;
        n := n + @extschema@.dskv2_sync_keys(child.child_table, source, target, run_id, child_keys, false);
    END LOOP;
    RETURN n;
END
$$;
