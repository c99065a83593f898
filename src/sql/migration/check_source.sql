-- Validates source and target before anything is written: 3F000 for a missing
-- source schema, 42P06 for a target dskv2 may not use, 55000 for a target at
-- an older shape (dskv2_check_shape), 42P01/42703 for a legacy table or
-- required column that is missing (named).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_check_source(source pg_catalog.name, target pg_catalog.name,
                                                          tables pg_catalog.text[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t pg_catalog.text;
BEGIN
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    PERFORM @extschema@.dskv2_check_target(target, source);
    PERFORM @extschema@.dskv2_check_shape(target);
    FOR t IN SELECT m.source_table FROM @extschema@.dskv2_catalog_mappings() m
              WHERE tables IS NULL OR m.source_table = ANY (tables) ORDER BY m.ord LOOP
        -- Generating the SQL checks every required table and column.
        PERFORM @extschema@.dskv2_mapping_sql(t, 'mapped', source, target);
    END LOOP;
END
$$;
