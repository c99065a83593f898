-- The legacy relations live sync watches, and the mapping each one feeds.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_relations(source pg_catalog.name)
RETURNS TABLE (ord pg_catalog.int4, rel pg_catalog.regclass, source_table pg_catalog.text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT v.ord, pg_catalog.to_regclass(CASE WHEN v.ord = 1 THEN 'auth.users'
                                              ELSE pg_catalog.format('%I.%I', source, v.rel) END), v.source_table
      FROM (VALUES (1, 'users', 'auth.users'), (2, 'profiles', 'auth.users'), (3, 'categories', 'categories'),
                   (4, 'products', 'products'), (5, 'samples', 'samples'), (6, 'tags', 'tags'),
                   (7, 'favorites', 'favorites'), (8, 'product_stats', 'product_stats'),
                   (9, 'trending_ideas', 'trending_ideas'), (10, 'admin_logs', 'admin_logs')) AS v (ord, rel, source_table)
$$;
