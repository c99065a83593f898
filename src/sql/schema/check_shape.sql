-- Raises 55000 when the existing target `target` is at an older shape than
-- this version makes: migrations, live sync and the switch refuse to run on
-- it until dskv2_create_schema brought it up to date (the triggers meanwhile
-- work on its old shape).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_check_shape(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
BEGIN
    s := @extschema@.dskv2_target_shape(target);
    IF s.shape IS NOT NULL AND s.shape < s.current_shape THEN
        RAISE EXCEPTION 'dskv2: target schema "%" has shape %, this version of dropskills_v2 needs shape %',
                        target, s.shape, s.current_shape
            USING ERRCODE = '55000',
                  HINT = pg_catalog.format('Bring it up to date first: SELECT dskv2_create_schema(%L);', target);
    END IF;
END
$$;
