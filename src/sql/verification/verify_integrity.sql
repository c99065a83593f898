-- Proves V2 = mapping(legacy): every check in ONE statement, so they all see
-- one snapshot whatever the caller's isolation level. Reads only: it runs on a
-- read-only standby too; when the database is writable, the differing keys are
-- also kept in <target>.verify_diffs.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_verify_integrity(source pg_catalog.name DEFAULT 'public',
                                                              target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (check_name pg_catalog.text, table_name pg_catalog.text, ok pg_catalog.bool,
               expected pg_catalog.int8, actual pg_catalog.int8, detail pg_catalog.text)
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
SET row_security = off
SET jit = off
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    r record;
    diffs pg_catalog.text[] := '{}';
    diff_checks pg_catalog.text[] := '{}';
    diff_tables pg_catalog.text[] := '{}';
    statement pg_catalog.text;
    results @extschema@.dskv2_check[];
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_verify_integrity');
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    IF NOT @extschema@.dskv2_check_target(target, source) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000',
            HINT = 'Migrate first: SELECT * FROM dskv2_migrate_all();';
    END IF;
    -- One statement for every mapping (any mapping's name selects it).
    statement := @extschema@.dskv2_mapping_sql((SELECT m.source_table FROM @extschema@.dskv2_catalog_mappings() m
                                                 ORDER BY m.ord LIMIT 1), 'verify', source, target);
    PERFORM pg_catalog.set_config('work_mem',
        COALESCE(NULLIF(pg_catalog.current_setting('dskv2.work_mem', true), ''), '256MB'), true);
    -- One plain statement (not a cursor) collects every check.
    EXECUTE 'SELECT pg_catalog.array_agg(ROW(v.*)::@extschema@.dskv2_check) FROM (' || statement
            || ') v (check_name, table_name, ok, expected, actual, detail, keys)' INTO results;
    FOR r IN SELECT * FROM pg_catalog.unnest(results) LOOP
        check_name := r.check_name;
        table_name := r.table_name;
        ok := r.ok;
        expected := r.expected;
        actual := r.actual;
        detail := r.detail;
        IF r.keys IS NOT NULL THEN
            FOR i IN 1..pg_catalog.cardinality(r.keys) LOOP
                diffs := diffs || r.keys[i];
                diff_checks := diff_checks || check_name;
                diff_tables := diff_tables || table_name;
            END LOOP;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF pg_catalog.cardinality(diffs) > 0 AND NOT pg_catalog.pg_is_in_recovery()
       AND pg_catalog.current_setting('transaction_read_only') = 'off' THEN
        EXECUTE pg_catalog.format('INSERT INTO %I.verify_diffs (check_name, table_name, key)
                                   SELECT * FROM unnest($1, $2, $3)', target)
            USING diff_checks, diff_tables, diffs;
    END IF;
END
$$;
