-- A pack's file_url, for whom may have it: anyone for a published pack that
-- is not premium, its owners (a user_packs row) and admins for any pack; NULL
-- otherwise. The only way API users reach file_url (docs/security.md, "The role matrix"). SECURITY
-- DEFINER: it reads the column API roles cannot; the caller's identity comes
-- from the request's claims (auth.uid()).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_pack_file_url(pack_id pg_catalog.uuid,
                                                           target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.text
LANGUAGE plpgsql STABLE SECURITY DEFINER
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
    uid pg_catalog.uuid;
    url pg_catalog.text;
    premium pg_catalog.bool;
    published pg_catalog.bool;
    allowed pg_catalog.bool;
BEGIN
    IF pack_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT @extschema@.dskv2_check_target(target) THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000';
    END IF;
    EXECUTE pg_catalog.format('SELECT p.file_url, p.is_premium, p.status = ''published'' FROM %I.packs p WHERE p.id = $1',
                              target)
        INTO url, premium, published USING pack_id;
    IF url IS NULL THEN
        RETURN NULL;
    END IF;
    IF published AND NOT premium THEN
        RETURN url;
    END IF;
    IF pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL THEN
        EXECUTE 'SELECT auth.uid()' INTO uid;
    END IF;
    IF uid IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %1$I.user_packs up WHERE up.user_id = $1 AND up.pack_id = $2)
             OR EXISTS (SELECT 1 FROM %1$I.users u WHERE u.id = $1 AND u.role = ''admin'')', target)
        INTO allowed USING uid, pack_id;
    RETURN CASE WHEN allowed THEN url END;
END
$$;
