-- A pack's file_url as its caller may read it: the row of `target`.pack_files
-- that row level security shows the caller (anyone: a published pack that is
-- not premium; its owners, a user_packs row; admins: any pack), NULL
-- otherwise. SECURITY INVOKER: it reads nothing its caller could not read
-- with `select file_url from <target>.pack_files` (docs/security.md, "The
-- role matrix"); kept for clients of 0.1.0, which had no pack_files. Only an
-- ordinary table with the catalogue's column types is read: no view, and no
-- type of another role's whose cast or operator would run its code.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_pack_file_url(pack_id pg_catalog.uuid,
                                                           target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE SECURITY INVOKER
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
DECLARE
    url pg_catalog.text;
    rel pg_catalog.oid;
BEGIN
    IF pack_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT c.oid INTO rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE n.nspname OPERATOR(pg_catalog.=) target AND c.relname OPERATOR(pg_catalog.=) 'pack_files' AND c.relkind OPERATOR(pg_catalog.=) 'r';
    IF rel IS NULL THEN
        RAISE EXCEPTION 'dskv2: target schema "%" has no table pack_files', target
            USING ERRCODE = '42P01',
                  HINT = 'dskv2_create_schema brings a target to the current shape.';
    END IF;
    IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) rel AND NOT a.attisdropped
           AND ((a.attname OPERATOR(pg_catalog.=) 'pack_id' AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.uuid'::pg_catalog.regtype)
             OR (a.attname OPERATOR(pg_catalog.=) 'file_url' AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.text'::pg_catalog.regtype)))
       OPERATOR(pg_catalog.<>) 2 THEN
        RAISE EXCEPTION 'dskv2: table %.pack_files does not have the columns pack_id uuid and file_url text', target
            USING ERRCODE = '42804';
    END IF;
    EXECUTE pg_catalog.format('SELECT f.file_url FROM %I.pack_files f WHERE f.pack_id OPERATOR(pg_catalog.=) $1',
                              target)
        INTO url USING pack_id;
    RETURN url;
END
$$;
