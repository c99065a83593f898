-- True when the target exists with its foreign keys between V2 tables: a
-- batched migration into it keeps them (and the rest of the schema) throughout;
-- otherwise they come once the data is loaded. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_has_target_foreign_keys(target pg_catalog.name)
RETURNS pg_catalog.bool
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NOT NULL
       AND EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_foreign_keys() k
                     JOIN pg_catalog.pg_constraint con
                       ON con.conrelid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', target, k.table_name))
                      AND con.conname = k.constraint_name
                    WHERE k.parent_schema = 'target')
$$;
