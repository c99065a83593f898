-- The security matrix of the V2 tables (docs/security.md): the grants to the
-- API roles (kind 'grant': roles, privileges, columns or NULL for the whole
-- table) and the row level security policies (kind 'policy': name, roles,
-- command, USING and WITH CHECK, where $admin stands for the admin helper's
-- call, $uid for (select auth.uid()) and $target for the target). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_security()
RETURNS TABLE (table_name pg_catalog.text, kind pg_catalog.text, policy_name pg_catalog.text,
               roles pg_catalog.text, privileges pg_catalog.text, columns pg_catalog.text,
               using_expr pg_catalog.text, check_expr pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_catalog_security'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
