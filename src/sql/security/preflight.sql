-- What the acting role lacks for each step on `source` and `target`
-- (docs/security.md, "Preflight"): one row per check of each step (migrate,
-- sync, cutover, rollback): ok, the object, the privilege it needs, who can
-- give it (the roles able to, found from the catalogs: the object's owner or
-- a member of it, superusers; 'nobody' when no role can) and the statement
-- for that role. Writes nothing; for the DBA. A trigger dskv2 attaches outside
-- the target must be droppable later by the same role, which only the
-- table's owner (or a member of its role) can do: live sync and the switch
-- refuse a table where that is not so (dskv2_require_preflight).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_preflight(source pg_catalog.name DEFAULT 'public',
                                                       target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS TABLE (step pg_catalog.text, ok pg_catalog.bool, object pg_catalog.text, privilege pg_catalog.text,
               grantor pg_catalog.text, statement pg_catalog.text)
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
WITH me AS (
    SELECT r.oid, r.rolname, r.rolsuper, r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = current_user
), supers AS (
    SELECT COALESCE(pg_catalog.string_agg(r.rolname::pg_catalog.text, ', ' ORDER BY r.rolname), 'nobody') AS names
      FROM pg_catalog.pg_roles r WHERE r.rolsuper
), rels AS (
    SELECT l.ord, l.relation, l.schema_kind, l.guarded, l.auth_path, c.oid AS rel, c.relowner,
           c.relrowsecurity, c.relforcerowsecurity,
           pg_catalog.format('%I.%I', n.nspname, c.relname) AS name
      FROM @extschema@.dskv2_catalog_legacy() l
      JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(@extschema@.dskv2_legacy_relation(l.relation, source))
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
), owner_of AS (
    -- Who can give a table privilege: its owner (and members of the owner's role), superusers.
    SELECT r.rel, pg_catalog.format('%s (owner)', r.relowner::pg_catalog.regrole)
               || CASE WHEN s.names = 'nobody' THEN '' ELSE ', ' || s.names || ' (superuser)' END AS who
      FROM rels r, supers s
), checks AS (
    -- migrate: read every legacy table.
    SELECT 1 AS sord, 'migrate' AS step, r.ord, r.name AS object, 'SELECT' AS privilege,
           pg_catalog.has_table_privilege(me.oid, r.rel, 'SELECT') AS ok, o.who AS grantor,
           pg_catalog.format('GRANT SELECT ON %s TO %I;', r.name, me.rolname) AS statement
      FROM rels r JOIN owner_of o ON o.rel = r.rel, me
    UNION ALL
    -- migrate: a legacy table under row level security is read whole (the
    -- migration refuses with 42501 otherwise): BYPASSRLS, or its owner's rights
    -- when the table does not force row level security.
    SELECT 1, 'migrate', r.ord, r.name, 'BYPASSRLS (row level security is on, and not as its owner)',
           me.rolsuper OR me.rolbypassrls
               OR (pg_catalog.pg_has_role(me.oid, r.relowner, 'USAGE') AND NOT r.relforcerowsecurity),
           pg_catalog.format('%s (superuser)', s.names),
           pg_catalog.format('ALTER ROLE %I BYPASSRLS;', me.rolname)
      FROM rels r, me, supers s WHERE r.relrowsecurity
    UNION ALL
    -- migrate: the V2 users reference the auth relation (a foreign key).
    SELECT 1, 'migrate', r.ord, r.name, 'REFERENCES',
           pg_catalog.has_table_privilege(me.oid, r.rel, 'REFERENCES'), o.who,
           pg_catalog.format('GRANT REFERENCES ON %s TO %I;', r.name, me.rolname)
      FROM rels r JOIN owner_of o ON o.rel = r.rel, me WHERE r.schema_kind = 'auth'
    UNION ALL
    -- migrate: create the target, or own it.
    SELECT 1, 'migrate', 0,
           pg_catalog.format('schema %I', target),
           CASE WHEN n.oid IS NULL THEN 'CREATE on the database' ELSE 'ownership of the target' END,
           CASE WHEN n.oid IS NULL THEN pg_catalog.has_database_privilege(me.oid, d.oid, 'CREATE')
                ELSE n.nspowner = me.oid END,
           CASE WHEN n.oid IS NULL THEN pg_catalog.format('%s (owner of the database)', d.datdba::pg_catalog.regrole)
                ELSE pg_catalog.format('%s (owner of the target)', n.nspowner::pg_catalog.regrole) END,
           CASE WHEN n.oid IS NULL THEN pg_catalog.format('GRANT CREATE ON DATABASE %I TO %I;', d.datname, me.rolname)
                ELSE pg_catalog.format('SET ROLE %I;  -- only the owner manages a target', n.nspowner::pg_catalog.regrole) END
      FROM me, pg_catalog.pg_database d
      LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = target
     WHERE d.datname = pg_catalog.current_database()
    UNION ALL
    -- migrate: the extension's routines (the DBA functions call internal ones).
    SELECT 1, 'migrate', 0, 'the routines of dropskills_v2', 'EXECUTE',
           NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dd JOIN pg_catalog.pg_extension e ON e.oid = dd.refobjid
                        WHERE e.extname = 'dropskills_v2' AND dd.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          AND dd.deptype = 'e' AND NOT pg_catalog.has_function_privilege(me.oid, dd.objid, 'EXECUTE')),
           (SELECT pg_catalog.format('%s (owner of the extension)', e.extowner::pg_catalog.regrole)
              FROM pg_catalog.pg_extension e WHERE e.extname = 'dropskills_v2'),
           'GRANT EXECUTE on every routine of the extension (the recipe of the README, "Exposing V2 to the API")'
      FROM me
    UNION ALL
    -- sync and cutover put triggers on legacy tables (the switch: its guards, and
    -- the auth path's sync triggers), and must drop them later as the same role:
    -- only the table's owner (or a member of its role) can.
    SELECT CASE WHEN k.step = 'sync' THEN 2 ELSE 3 END, k.step, r.ord, r.name,
           'ownership (to create and later drop its triggers)',
           pg_catalog.pg_has_role(me.oid, r.relowner, 'USAGE'),
           CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.member
                              WHERE m.roleid = r.relowner AND m.admin_option)
                     OR s.names <> 'nobody'
                THEN COALESCE((SELECT pg_catalog.string_agg(g.rolname::pg_catalog.text || ' (admin of the owner''s role)', ', ')
                                 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.member
                                WHERE m.roleid = r.relowner AND m.admin_option) || ', ', '')
                     || CASE WHEN s.names = 'nobody' THEN '' ELSE s.names || ' (superuser)' END
                ELSE 'nobody' END,
           pg_catalog.format('GRANT %I TO %I;', r.relowner::pg_catalog.regrole, me.rolname)
      FROM rels r, me, supers s,
           (VALUES ('sync'), ('cutover')) AS k (step)
     WHERE k.step = 'sync' OR r.guarded OR r.auth_path
    UNION ALL
    -- rollback: drop the target (its owner only) and live sync's triggers.
    SELECT 4, 'rollback', 0, pg_catalog.format('schema %I', target), 'ownership of the target',
           n.nspowner = me.oid, pg_catalog.format('%s (owner of the target)', n.nspowner::pg_catalog.regrole),
           pg_catalog.format('SET ROLE %I;', n.nspowner::pg_catalog.regrole)
      FROM me, pg_catalog.pg_namespace n WHERE n.nspname = target
)
SELECT c.step, c.ok, c.object, c.privilege, c.grantor, c.statement
  FROM checks c ORDER BY c.sord, c.ord, c.object, c.privilege
$$;
