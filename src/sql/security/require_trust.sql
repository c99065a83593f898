-- Raises 42501 unless the existing schema `target` is trusted and owned by
-- the acting role (docs/security.md, "Trust from ownership"): the check every
-- DBA entry point makes before it reads or writes a target. Superusers are not
-- exempt: a superuser acting on a schema another role owns would run that
-- role's code with its own rights. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_require_trust(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owner_role pg_catalog.oid;
    finding record;
BEGIN
    SELECT n.nspowner INTO owner_role FROM pg_catalog.pg_namespace n WHERE n.nspname = target;
    IF owner_role IS NULL THEN
        RETURN;
    END IF;
    IF owner_role <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION 'dskv2: schema "%" is owned by %, not by the acting role %', target,
                        owner_role::pg_catalog.regrole, current_user
            USING ERRCODE = '42501',
                  HINT = pg_catalog.format('Run this as %s (SET ROLE), or choose another target schema.',
                                           owner_role::pg_catalog.regrole);
    END IF;
    SELECT f.object, f.problem INTO finding FROM @extschema@.dskv2_trust_findings(target) f LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'dskv2: target "%" is not trusted: % %', target, finding.object, finding.problem
            USING ERRCODE = '42501',
                  DETAIL = 'dskv2 writes into a target only when one role owns it and everything that runs there.',
                  HINT = 'See dskv2_security_check() for every finding.';
    END IF;
END
$$;
