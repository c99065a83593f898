-- The advisory lock key of migrations into one target: (0x64736b32, hashtext(target)).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_lock_key(target pg_catalog.name)
RETURNS pg_catalog.int4
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.hashtext(target::pg_catalog.text) $$;
