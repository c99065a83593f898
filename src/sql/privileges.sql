-- The complete revoke/grant block, at the end of the install script and of
-- every update script (docs/architecture.md, "The update chain"; the list of
-- docs/security.md, "Who may execute what"): EXECUTE on every member but the
-- two text functions and dskv2_pack_file_url is revoked from PUBLIC and,
-- explicitly, from Supabase's anon, authenticated and service_role (the
-- default privileges of Supabase's extensions schema grant it to all three);
-- dskv2_pack_file_url is granted to the API roles that exist, and
-- dskv2_track_ai_usage to service_role.
DO $dskv2$
DECLARE
    fn pg_catalog.regprocedure;
    api_role pg_catalog.text;
BEGIN
    FOR fn IN SELECT p.oid::pg_catalog.regprocedure
                FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                           AND d.objid = p.oid AND d.deptype = 'e'
                JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
               WHERE p.proname NOT IN ('dskv2_slugify', 'dskv2_detect_sample_type', 'dskv2_pack_file_url') LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM PUBLIC',
            CASE WHEN (SELECT prokind FROM pg_catalog.pg_proc WHERE oid = fn) = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, fn);
        FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
                EXECUTE pg_catalog.format('REVOKE ALL ON %s %s FROM %I',
                    CASE WHEN (SELECT prokind FROM pg_catalog.pg_proc WHERE oid = fn) = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                    fn, api_role);
            END IF;
        END LOOP;
    END LOOP;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
            EXECUTE pg_catalog.format('REVOKE ALL ON @extschema@.dskv2_progress FROM %I', api_role);
        END IF;
    END LOOP;
    REVOKE ALL ON @extschema@.dskv2_progress FROM PUBLIC;
    -- The one SECURITY DEFINER function for API users: what it returns is
    -- decided inside, per caller.
    REVOKE ALL ON FUNCTION @extschema@.dskv2_pack_file_url(pg_catalog.uuid, pg_catalog.name) FROM PUBLIC;
    PERFORM @extschema@.dskv2_grant_pack_file_url();
    -- AI metering for the backend: service_role calls it (through
    -- <target>_api on Supabase) and it writes with service_role's rights.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT EXECUTE ON FUNCTION @extschema@.dskv2_track_ai_usage(pg_catalog.text, pg_catalog.uuid, pg_catalog.int4,
            pg_catalog.int4, pg_catalog.text, pg_catalog.jsonb, pg_catalog.name) TO service_role;
    END IF;
END
$dskv2$;
