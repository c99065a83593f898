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
