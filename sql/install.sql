-- Installing the extension: version from the control file, the SQL surface.
CREATE EXTENSION dropskills_v2;

SELECT e.extversion = a.default_version AS installed_default_version,
       e.extrelocatable
FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
WHERE e.extname = 'dropskills_v2';

-- Every function is named dskv2_* and lives in the extension's schema.
SELECT count(*) > 0 AS has_members, count(*) FILTER (WHERE NOT starts_with(p.proname, 'dskv2_')) AS misnamed,
       count(*) FILTER (WHERE p.pronamespace <> e.extnamespace) AS elsewhere
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2';

-- The public API (docs/api.md, "Functions") with its signatures.
SELECT p.proname, p.prokind, pg_get_function_arguments(p.oid) AS arguments
FROM pg_proc p
WHERE p.proname IN ('dskv2_slugify', 'dskv2_detect_sample_type', 'dskv2_create_schema', 'dskv2_plan',
                    'dskv2_migrate_table', 'dskv2_migrate_all', 'dskv2_migrate', 'dskv2_retry_rejects')
ORDER BY 1;
SELECT pg_get_function_result('dskv2_plan'::regproc) AS plan_result;
SELECT pg_get_function_result('dskv2_migrate_all'::regproc) AS migrate_all_result;
SELECT attname FROM pg_attribute WHERE attrelid = 'dskv2_progress'::regclass AND attnum > 0 ORDER BY attnum;

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
