-- The qualified, quoted name of a legacy relation of the catalogue
-- ("auth.users", "profiles", ...) in the legacy schema `source`, or NULL when
-- the catalogue does not know it. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_legacy_relation(relation pg_catalog.text, source pg_catalog.name)
RETURNS pg_catalog.text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.format('%I.%I', CASE WHEN l.schema_kind = 'auth' THEN 'auth'::pg_catalog.name ELSE source END,
                             l.table_name)
      FROM @extschema@.dskv2_catalog_legacy() l WHERE l.relation = $1
$$;
