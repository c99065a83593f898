-- The dry run: what would move, what is wrong. Reads like a migration (legacy
-- RLS off), writes nothing, and reports drift instead of raising.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_plan(source pg_catalog.name DEFAULT 'public',
                                                  target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (source_table pg_catalog.text, target_table pg_catalog.text, source_rows pg_catalog.int8,
               missing_columns pg_catalog.text[], unmapped_columns pg_catalog.text[],
               predicted_rejects pg_catalog.int8, reject_reasons pg_catalog.jsonb, notes pg_catalog.text)
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
AS $$
DECLARE
    m record;
    d record;
    n pg_catalog.int8;
    pending pg_catalog.int8;
    blocking pg_catalog.text[];
    secret_columns pg_catalog.bool;
    plain_columns pg_catalog.bool;
    relation_name pg_catalog.text;
    qualified pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_plan');
    IF source IS NULL OR pg_catalog.to_regnamespace(pg_catalog.quote_ident(source)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: source schema "%" does not exist', source USING ERRCODE = '3F000';
    END IF;
    PERFORM @extschema@.dskv2_check_target(target, source);
    FOR m IN SELECT t.* FROM @extschema@.dskv2_catalog_mappings() t ORDER BY t.ord LOOP
        source_table := m.source_table;
        target_table := m.target_table;
        missing_columns := '{}';
        unmapped_columns := '{}';
        blocking := '{}';
        secret_columns := false;
        plain_columns := false;
        source_rows := NULL;
        predicted_rejects := NULL;
        reject_reasons := NULL;
        notes := NULL;
        FOR d IN SELECT * FROM @extschema@.dskv2_source_drift(m.source_table, source) LOOP
            qualified := @extschema@.dskv2_legacy_relation(d.relation, source);
            CASE d.kind
            WHEN 'missing_table' THEN
                blocking := blocking || pg_catalog.format('legacy table %s is missing', qualified);
            WHEN 'missing_required' THEN
                missing_columns := missing_columns || (d.relation || '.' || d.column_name);
                blocking := blocking || pg_catalog.format('required column %s.%s is missing', d.relation, d.column_name);
            WHEN 'missing_optional' THEN
                missing_columns := missing_columns || (d.relation || '.' || d.column_name);
            WHEN 'unknown', 'unknown_secret' THEN
                EXECUTE pg_catalog.format('SELECT pg_catalog.count(%I) FROM %s', d.column_name, qualified) INTO n;
                secret_columns := secret_columns OR d.kind = 'unknown_secret';
                plain_columns := plain_columns OR d.kind = 'unknown';
                unmapped_columns := unmapped_columns
                    || pg_catalog.format('%s.%s (%s non-NULL%s)', d.relation, d.column_name, n,
                                         CASE WHEN d.kind = 'unknown_secret'
                                              THEN pg_catalog.format(', secret-like: kept in %s.legacy_secrets',
                                                       pg_catalog.quote_ident(@extschema@.dskv2_private_schema(target)))
                                              ELSE '' END);
            END CASE;
        END LOOP;
        IF pg_catalog.cardinality(blocking) > 0 THEN
            notes := 'cannot migrate: ' || pg_catalog.array_to_string(blocking, '; ');
        ELSE
            relation_name := @extschema@.dskv2_legacy_relation(m.source_table, source);
            EXECUTE 'SELECT pg_catalog.count(*) FROM ' || relation_name INTO source_rows;
            BEGIN
                EXECUTE @extschema@.dskv2_mapping_sql(m.source_table, 'plan', source, target)
                    INTO pending, predicted_rejects, reject_reasons;
                notes := pg_catalog.format('%s rows to migrate, %s already migrated or quarantined',
                                           pending, GREATEST(source_rows - pending, 0));
                IF m.plan_note IS NOT NULL THEN
                    notes := notes || ' (' || m.plan_note || ')';
                END IF;
                IF plain_columns THEN
                    notes := notes || '; unmapped columns are kept in the V2 rows'' legacy jsonb';
                END IF;
                IF secret_columns THEN
                    notes := notes || pg_catalog.format('; secret-like unmapped columns are kept in %s.legacy_secrets (owner only)',
                                         pg_catalog.quote_ident(@extschema@.dskv2_private_schema(target)));
                END IF;
            EXCEPTION WHEN OTHERS THEN
                notes := 'cannot predict rejects: ' || SQLERRM;
            END;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
