-- Objects outside `target` that depend on something inside it (a view, a
-- foreign key, a default), which DROP SCHEMA ... CASCADE would take with it.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_outside_dependents(target pg_catalog.name)
RETURNS TABLE (dependent pg_catalog.text, depends_on pg_catalog.text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH inside AS (
        SELECT c.oid FROM pg_catalog.pg_class c
         WHERE c.relnamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
        UNION ALL
        SELECT t.oid FROM pg_catalog.pg_type t
         WHERE t.typnamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
        UNION ALL
        SELECT p.oid FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
    ),
    deps AS (
        SELECT d.classid, d.objid, d.refobjid
          FROM pg_catalog.pg_depend d
         WHERE d.refobjid IN (SELECT oid FROM inside) AND d.deptype IN ('n', 'a')
    ),
    owners AS (
        -- The relation (or function) each dependent object belongs to.
        SELECT deps.refobjid,
               CASE deps.classid
                    WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN
                        (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = deps.objid)
                    WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
                        (SELECT co.conrelid FROM pg_catalog.pg_constraint co WHERE co.oid = deps.objid)
                    WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN
                        (SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = deps.objid)
                    WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN
                        (SELECT tg.tgrelid FROM pg_catalog.pg_trigger tg WHERE tg.oid = deps.objid)
                    WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN deps.objid
               END AS owner_rel,
               CASE WHEN deps.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN deps.objid END AS owner_proc
          FROM deps
    )
    SELECT DISTINCT
           COALESCE(o.owner_rel::pg_catalog.regclass::pg_catalog.text, o.owner_proc::pg_catalog.regprocedure::pg_catalog.text),
           o.refobjid::pg_catalog.regclass::pg_catalog.text
      FROM owners o
      LEFT JOIN pg_catalog.pg_class oc ON oc.oid = o.owner_rel
      LEFT JOIN pg_catalog.pg_proc op ON op.oid = o.owner_proc
     WHERE COALESCE(oc.relnamespace, op.pronamespace) IS NOT NULL
       AND COALESCE(oc.relnamespace, op.pronamespace) <> pg_catalog.to_regnamespace(pg_catalog.quote_ident(target))
$$;
