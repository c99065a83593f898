-- The ownership marker is the target schema's comment: pg_dump/pg_restore carry
-- it and DROP/CREATE EXTENSION leave it alone.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_target_marker()
RETURNS pg_catalog.text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 'dropskills_v2 target schema: created and managed by the dropskills_v2 extension (do not edit this comment)'::pg_catalog.text $$;
