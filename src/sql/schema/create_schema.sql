-- Creates the target schema, or brings an existing one to the current shape
-- (idempotent): tables by the shape steps, foreign keys, the native triggers
-- (re-attached after DROP EXTENSION), row level security, grants and policies,
-- and the wrappers of <target>_api (docs/api.md, "Functions").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_create_schema(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET transform_null_equals = off
SET array_nulls = on
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = postgres
SET bytea_output = hex
SET extra_float_digits = 1
AS $$
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_create_schema');
    PERFORM @extschema@.dskv2_create_tables(target);
    PERFORM @extschema@.dskv2_add_constraints(target);
    PERFORM @extschema@.dskv2_attach_triggers(target);
    PERFORM @extschema@.dskv2_apply_security(target);
    PERFORM @extschema@.dskv2_api_schema(target);
END
$$;
