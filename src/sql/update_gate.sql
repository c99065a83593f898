-- The last statement of every update script (docs/architecture.md, "The
-- update chain"; docs/security.md, "Security check"): an update never adopts
-- a target that is not trusted. Every schema carrying the dropskills_v2 marker
-- that is a target (not a <target>_private or <target>_api of a marked
-- target) is checked with dskv2_security_check; its first 'refused' finding
-- fails the update (42501), which then changes nothing. Fix the finding (or
-- drop that schema) and run ALTER EXTENSION dropskills_v2 UPDATE again.
DO $dskv2$
DECLARE
    t record;
    finding record;
BEGIN
    FOR t IN SELECT n.nspname FROM pg_catalog.pg_namespace n
              WHERE pg_catalog.obj_description(n.oid, 'pg_namespace') = @extschema@.dskv2_target_marker()
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace p
                                 WHERE (n.nspname = p.nspname || '_private' OR n.nspname = p.nspname || '_api')
                                   AND pg_catalog.obj_description(p.oid, 'pg_namespace') = @extschema@.dskv2_target_marker())
              ORDER BY n.nspname LOOP
        SELECT c.object, c.problem INTO finding
          FROM @extschema@.dskv2_security_check(t.nspname) c WHERE c.severity = 'refused' LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'dskv2: the update refuses target "%": % %', t.nspname, finding.object, finding.problem
                USING ERRCODE = '42501',
                      DETAIL = 'A target is trusted when one role owns it and everything that runs there.',
                      HINT = pg_catalog.format('See SELECT * FROM dskv2_security_check(%L); fix it or drop that schema, then update again.',
                                               t.nspname);
        END IF;
    END LOOP;
END
$dskv2$;
