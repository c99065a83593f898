-- The target a dskv2 trigger writes into: its first argument (pg_trigger.tgargs
-- holds the arguments NUL-terminated). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_trigger_target(tgargs pg_catalog.bytea)
RETURNS pg_catalog.text
LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.split_part(pg_catalog.encode(tgargs, 'escape'), E'\\000', 1) $$;
