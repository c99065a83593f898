-- What a DBA (or the update to this version) should know about the security
-- of `target` (docs/security.md, "Security check"): one row per finding.
-- severity 'refused': the target is not trusted, every DBA entry point and
-- every trigger writing there refuses it (42501) and the update refuses to
-- adopt it: the findings of dskv2_trust_findings, and a target or companion
-- schema without the marker. severity 'warning': what dskv2 did not put there
-- and the DBA should look at: triggers on V2 tables whose function is not the
-- extension's, policies the catalogue does not define, EXECUTE on extension
-- routines held by an API role beyond the documented list. No row: nothing to
-- report. Reads the system catalogs only; writes nothing.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_security_check(target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (severity pg_catalog.text, object pg_catalog.text, problem pg_catalog.text)
LANGUAGE sql STABLE
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
WITH ext AS (
    SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'dropskills_v2'
), members AS (
    SELECT d.objid AS oid FROM pg_catalog.pg_depend d, ext
     WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), schemas AS (
    SELECT n.oid, n.nspname, k.ord
      FROM pg_catalog.pg_namespace n
      JOIN (VALUES (target, 1), ((target || '_private')::pg_catalog.name, 2), ((target || '_api')::pg_catalog.name, 3))
           AS k (name, ord) ON k.name = n.nspname
), catalogue_policies AS (
    SELECT s.table_name, COALESCE(s.policy_name, '') AS policy_name
      FROM @extschema@.dskv2_catalog_security() s WHERE s.kind = 'policy'
), findings AS (
    SELECT 1 AS ord, 'refused' AS severity, pg_catalog.format('schema %I', s.nspname) AS object,
           'does not carry the dropskills_v2 marker in its comment' AS problem
      FROM schemas s
     WHERE pg_catalog.obj_description(s.oid, 'pg_namespace') IS DISTINCT FROM @extschema@.dskv2_target_marker()
    UNION ALL
    SELECT 2, 'refused', f.object, f.problem FROM @extschema@.dskv2_trust_findings(target) f
    UNION ALL
    SELECT 3, 'warning', pg_catalog.format('trigger %I on %I.%I', tg.tgname, s.nspname, c.relname),
           pg_catalog.format('runs %s, which is not a dropskills_v2 function', tg.tgfoid::pg_catalog.regprocedure)
      FROM pg_catalog.pg_trigger tg
      JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
      JOIN schemas s ON s.oid = c.relnamespace
     WHERE NOT tg.tgisinternal AND tg.tgfoid NOT IN (SELECT m.oid FROM members m)
    UNION ALL
    SELECT 4, 'warning', pg_catalog.format('policy %I on %I.%I', p.polname, s.nspname, c.relname),
           'is not a policy of the dropskills_v2 security matrix'
      FROM pg_catalog.pg_policy p
      JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
      JOIN schemas s ON s.oid = c.relnamespace AND s.ord = 1
     WHERE NOT EXISTS (SELECT 1 FROM catalogue_policies cp
                        WHERE cp.table_name = c.relname::pg_catalog.text AND cp.policy_name = p.polname::pg_catalog.text)
    UNION ALL
    SELECT 5, 'warning', pg_catalog.format('function %s', m.oid::pg_catalog.regprocedure),
           pg_catalog.format('is executable by %s, beyond the documented list', r.rolname)
      FROM members m
      JOIN pg_catalog.pg_proc p ON p.oid = m.oid
      CROSS JOIN pg_catalog.pg_roles r
     WHERE r.rolname IN ('anon', 'authenticated', 'service_role')
       AND pg_catalog.has_function_privilege(r.oid, m.oid, 'EXECUTE')
       AND p.proname NOT IN ('dskv2_slugify', 'dskv2_detect_sample_type', 'dskv2_pack_file_url')
       AND NOT (p.proname = 'dskv2_track_ai_usage' AND r.rolname = 'service_role')
)
SELECT f.severity, f.object, f.problem FROM findings f ORDER BY f.ord, f.object, f.problem
$$;
