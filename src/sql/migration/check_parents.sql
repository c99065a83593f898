-- Raises 55000 when a parent of `source_table` has never been migrated into `target`.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_check_parents(source_table pg_catalog.text, target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parent pg_catalog.text;
    done pg_catalog.bool;
BEGIN
    FOR parent IN SELECT unnest(m.parents) FROM @extschema@.dskv2_catalog_mappings() m WHERE m.source_table = $1 LOOP
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.migration_state s WHERE s.source_table = $1 AND s.migrated_once)', target)
            INTO done USING parent;
        IF NOT done THEN
            RAISE EXCEPTION 'dskv2: cannot migrate %: its parent table % has not been migrated yet', source_table, parent
                USING ERRCODE = '55000',
                      HINT = pg_catalog.format('Run dskv2_migrate_table(%L) first, or dskv2_migrate_all().', parent);
        END IF;
    END LOOP;
END
$$;
