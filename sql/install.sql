-- Installing the extension: version from the control file, the SQL surface.
CREATE EXTENSION dropskills_v2;

SELECT e.extversion = a.default_version AS installed_default_version,
       e.extrelocatable
FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
WHERE e.extname = 'dropskills_v2';

-- Every function is named dskv2_* and lives in the extension's schema.
SELECT p.proname, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
ORDER BY 1, 2;

-- The install script never creates a target schema.
SELECT count(*) AS dropskills_v2_schemas FROM pg_namespace WHERE nspname = 'dropskills_v2';

-- Reinstall in another schema (the Supabase way: WITH SCHEMA extensions).
DROP EXTENSION dropskills_v2;
CREATE SCHEMA extensions;
CREATE EXTENSION dropskills_v2 WITH SCHEMA extensions;
SELECT extensions.dskv2_slugify('Installée dans « extensions »');
DROP EXTENSION dropskills_v2;
DROP SCHEMA extensions;
CREATE EXTENSION dropskills_v2;
