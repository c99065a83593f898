-- Creates the target schema, or brings an existing one to the current shape
-- (idempotent): tables by the shape steps, foreign keys, the native triggers
-- (re-attached after DROP EXTENSION), row level security, grants and policies
-- (docs/api.md, "Functions").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_create_schema(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.dskv2_create_tables(target);
    PERFORM @extschema@.dskv2_add_constraints(target);
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
END
$$;
