-- Raises 42501 with the first missing privilege of `step` found by
-- dskv2_preflight (the object, the privilege, who can give it, the statement),
-- before anything is written: live sync never attaches a trigger that its
-- caller could not drop later. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_require_preflight(step pg_catalog.text, source pg_catalog.name,
                                                               target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing record;
BEGIN
    SELECT p.* INTO missing FROM @extschema@.dskv2_preflight(source, target) p
     WHERE p.step = dskv2_require_preflight.step AND NOT p.ok LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'dskv2: % needs % on %, which role % does not have', step, missing.privilege, missing.object,
                        current_user
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('Who can give it: %s.', missing.grantor),
                  HINT = pg_catalog.format('As one of them: %s See SELECT * FROM dskv2_preflight() for every step.',
                                           missing.statement);
    END IF;
END
$$;
