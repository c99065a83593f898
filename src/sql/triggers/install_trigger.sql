-- Creates (or, with replace, re-creates) one kind of trigger on one table of
-- `target`, under a short lock_timeout with retries (CREATE TRIGGER locks the
-- table SHARE ROW EXCLUSIVE). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_install_trigger(target pg_catalog.name, table_name pg_catalog.name,
                                                             kind pg_catalog.text, ignored_columns pg_catalog.text[],
                                                             replace pg_catalog.bool)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel pg_catalog.regclass := pg_catalog.format('%I.%I', target, table_name)::pg_catalog.regclass;
    args pg_catalog.text := pg_catalog.quote_literal(target);
    col pg_catalog.text;
BEGIN
    IF kind = 'audit' THEN
        FOREACH col IN ARRAY COALESCE(ignored_columns, '{}') LOOP
            args := args || ', ' || pg_catalog.quote_literal(col);
        END LOOP;
        IF replace AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = rel AND tgname = 'dskv2_audit') THEN
            PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('DROP TRIGGER dskv2_audit ON %s', rel),
                                                     pg_catalog.format('table %s', rel));
        END IF;
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_audit', pg_catalog.format(
            'CREATE TRIGGER dskv2_audit AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_audit_trigger(%s)', rel, args));
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_audit_truncate', pg_catalog.format(
            'CREATE TRIGGER dskv2_audit_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT '
            'EXECUTE FUNCTION @extschema@.dskv2_audit_trigger(%s)', rel, pg_catalog.quote_literal(target)));
    ELSE
        PERFORM @extschema@.dskv2_ensure_trigger(rel, 'dskv2_ai_usage', pg_catalog.format(
            'CREATE TRIGGER dskv2_ai_usage AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW '
            'EXECUTE FUNCTION @extschema@.dskv2_ai_usage_trigger(%s)', rel, pg_catalog.quote_literal(target)));
    END IF;
END
$$;
