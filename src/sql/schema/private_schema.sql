-- The schema that holds the admin helper of `target`: <target>_private (not
-- exposed by the API, marked like the target).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_private_schema(target pg_catalog.name)
RETURNS pg_catalog.name
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (target || '_private')::pg_catalog.name $$;
