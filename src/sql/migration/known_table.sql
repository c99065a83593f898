-- The legacy table name when the mapping knows it, else 22023.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_known_table(name pg_catalog.text)
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF name IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.dskv2_catalog_mappings() m WHERE m.source_table = name) THEN
        RAISE EXCEPTION 'dskv2: unknown legacy table "%"', name USING ERRCODE = '22023',
            HINT = 'One of: ' || (SELECT pg_catalog.string_agg(m.source_table, ', ' ORDER BY m.ord)
                                    FROM @extschema@.dskv2_catalog_mappings() m);
    END IF;
    RETURN name;
END
$$;
