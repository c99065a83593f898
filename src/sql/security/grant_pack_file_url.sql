-- dskv2_pack_file_url, the one function for API users (what it returns is
-- decided by the row level security of pack_files): EXECUTE for those of anon, authenticated and
-- service_role that exist. At CREATE EXTENSION and by dskv2_apply_security
-- (roles created later). A role that already has it is left alone, so that a
-- DBA who does not own the extension (postgres on Supabase) gets no warning. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_grant_pack_file_url()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    api_role pg_catalog.text;
BEGIN
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role)
           AND NOT pg_catalog.has_function_privilege(api_role,
                   '@extschema@.dskv2_pack_file_url(pg_catalog.uuid, pg_catalog.name)', 'EXECUTE') THEN
            EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.dskv2_pack_file_url(pg_catalog.uuid, pg_catalog.name) TO %I',
                                      api_role);
        END IF;
    END LOOP;
END
$$;
