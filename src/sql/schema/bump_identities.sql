-- The legacy sequences' last values decide where V2 identities start: above
-- them plus a gap of 1,000,000, so rows the application creates in V2 never
-- collide with legacy rows still arriving. Identities only ever move up. The
-- tables whose identity keeps legacy ids come from the catalogue.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_bump_identities(source pg_catalog.name, target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    legacy_seq pg_catalog.regclass;
    legacy_last pg_catalog.int8;
    legacy_max pg_catalog.int8;
    v2_seq pg_catalog.regclass;
    v2_next pg_catalog.int8;
    wanted pg_catalog.int8;
BEGIN
    FOR t IN SELECT c.table_name, c.identity_column, l.table_name AS legacy_table, l.key_column
               FROM @extschema@.dskv2_catalog_tables() c
               JOIN @extschema@.dskv2_catalog_legacy() l ON l.relation = c.identity_legacy
              ORDER BY c.ord LOOP
        v2_seq := pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', target, t.table_name),
                                                    t.identity_column)::pg_catalog.regclass;
        CONTINUE WHEN v2_seq IS NULL;
        legacy_last := 0;
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source, t.legacy_table)) IS NOT NULL THEN
            legacy_seq := pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', source, t.legacy_table), t.key_column)::pg_catalog.regclass;
            IF legacy_seq IS NOT NULL THEN
                -- A plain read (ACCESS SHARE): pg_sequence_last_value() would lock
                -- the legacy sequence ROW EXCLUSIVE.
                EXECUTE pg_catalog.format('SELECT last_value FROM %s', legacy_seq) INTO legacy_last;
            END IF;
            EXECUTE pg_catalog.format('SELECT COALESCE(max(%I), 0)::pg_catalog.int8 FROM %I.%I', t.key_column, source, t.legacy_table)
                INTO legacy_max;
            legacy_last := GREATEST(legacy_last, legacy_max);
        END IF;
        wanted := legacy_last + 1000001;
        EXECUTE pg_catalog.format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', v2_seq)
            INTO v2_next;
        IF v2_next IS NULL OR v2_next < wanted THEN
            EXECUTE pg_catalog.format('ALTER TABLE %I.%I ALTER COLUMN %I RESTART WITH %s', target, t.table_name,
                                      t.identity_column, wanted);
        END IF;
    END LOOP;
END
$$;
