-- The legacy relations live sync watches (the catalogue's legacy tables, in
-- its order), the mapping each one feeds, whether the switch makes it
-- read-only for the application (guarded) and whether it keeps syncing after
-- the switch (the auth path: sign-ups). rel is NULL for a relation that does
-- not exist.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_relations(source pg_catalog.name)
RETURNS TABLE (ord pg_catalog.int4, rel pg_catalog.regclass, source_table pg_catalog.text,
               guarded pg_catalog.bool, auth_path pg_catalog.bool)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.ord, pg_catalog.to_regclass(@extschema@.dskv2_legacy_relation(l.relation, source)), l.mapping,
           l.guarded, l.auth_path
      FROM @extschema@.dskv2_catalog_legacy() l
$$;
