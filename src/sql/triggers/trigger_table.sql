-- The table `tbl` as (target schema, table name) when it is a table of a
-- schema dskv2 created; 22023 otherwise. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_trigger_table(tbl pg_catalog.regclass, OUT target pg_catalog.name,
                                                           OUT table_name pg_catalog.name)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind pg_catalog.char;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'dskv2: table must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT n.nspname, c.relname, c.relkind INTO target, table_name, kind
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tbl;
    IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'dskv2: % is not a table', tbl USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)), 'pg_namespace')
       IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: % is not in a schema created by dropskills_v2', tbl
            USING ERRCODE = '22023',
                  HINT = 'The triggers write into the admin_logs and ai_usage tables of the table''s own schema.';
    END IF;
END
$$;
