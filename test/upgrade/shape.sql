-- The shape of the target dropskills_v2 (and dropskills_v2_private), as make
-- upgradecheck compares an upgraded target with a fresh one: schemas, tables,
-- columns in order, constraints, indexes, triggers, policies, ACLs and the
-- functions dskv2_create_schema creates. Data (rows, sequence positions) is not
-- shape.
WITH s AS (SELECT oid, nspname FROM pg_namespace WHERE nspname IN ('dropskills_v2', 'dropskills_v2_private'))
SELECT 'schema ' || s.nspname || ' acl=' || coalesce(n.nspacl::text, '-') || ' comment=' || coalesce(obj_description(s.oid, 'pg_namespace'), '-')
  FROM s JOIN pg_namespace n ON n.oid = s.oid
UNION ALL
SELECT 'table ' || s.nspname || '.' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity
       || ' acl=' || coalesce(c.relacl::text, '-')
  FROM pg_class c JOIN s ON s.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm')
UNION ALL
SELECT 'column ' || s.nspname || '.' || c.relname || ' ' || lpad(row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)::text, 3, '0')
       || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' collate ' || (SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation AND a.attcollation <> 100), '')
       || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') || CASE a.attidentity WHEN '' THEN '' ELSE ' identity ' || a.attidentity::text END
       || ' acl=' || coalesce(a.attacl::text, '-')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN s ON s.oid = c.relnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || s.nspname || '.' || c.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
       || CASE WHEN co.convalidated THEN '' ELSE ' not valid' END
  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN s ON s.oid = c.relnamespace
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN s ON s.oid = c.relnamespace
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN s ON s.oid = c.relnamespace WHERE NOT t.tgisinternal
UNION ALL
SELECT 'policy ' || p.schemaname || '.' || p.tablename || ' ' || p.policyname || ' ' || p.permissive || ' ' || p.cmd || ' '
       || p.roles::text || ' using=' || coalesce(p.qual, '-') || ' check=' || coalesce(p.with_check, '-')
  FROM pg_policies p WHERE p.schemaname IN (SELECT nspname FROM s)
UNION ALL
SELECT 'function ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid)) || ' acl=' || coalesce(p.proacl::text, '-')
  FROM pg_proc p JOIN s ON s.oid = p.pronamespace
ORDER BY 1;
