-- The extension's members as make upgradecheck compares them with a fresh
-- install's: routines (definition, ACL, comment), relations (view definition,
-- ACL) and types, one line each.
SELECT 'routine ' || p.oid::regprocedure || ' ' || p.prokind::text || ' ' || md5(pg_get_functiondef(p.oid))
       || ' acl=' || coalesce(p.proacl::text, '-') || ' comment=' || coalesce(md5(obj_description(p.oid, 'pg_proc')), '-')
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
UNION ALL
SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' ' || md5(coalesce(pg_get_viewdef(c.oid), ''))
       || ' acl=' || coalesce(c.relacl::text, '-') || ' options=' || coalesce(c.reloptions::text, '-')
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
UNION ALL
SELECT 'type ' || t.oid::regtype || ' ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                                       FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0), '')
  FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
UNION ALL
SELECT 'event trigger ' || evtname || ' ' || evtevent || ' ' || evtenabled::text
  FROM pg_event_trigger ev
  JOIN pg_depend d ON d.classid = 'pg_event_trigger'::regclass AND d.objid = ev.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
ORDER BY 1;
