-- Function properties fixed by the spec: volatility, strictness, parallel
-- safety, search_path pinned on SQL and PL/pgSQL functions, no SET clause on C
-- functions, privileges.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
RESET client_min_messages;

CREATE TEMP VIEW members AS
SELECT p.*, l.lanname
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2';

SELECT proname, provolatile, proisstrict, proparallel, proconfig, prosecdef
FROM members WHERE proname IN ('dskv2_slugify', 'dskv2_detect_sample_type', 'dskv2_claim_slug')
ORDER BY proname;

-- Every SQL or PL/pgSQL function pins search_path, except the procedure
-- dskv2_migrate (a SET clause would forbid its COMMITs).
SELECT proname, prokind, proconfig FROM members
WHERE lanname IN ('sql', 'plpgsql')
  AND (proconfig IS NULL OR NOT 'search_path=pg_catalog, pg_temp' = ANY (proconfig))
ORDER BY proname;
-- No C function carries a SET clause; one function is SECURITY DEFINER (dskv2_pack_file_url, see
-- docs/security.md, "The role matrix").
SELECT count(*) FILTER (WHERE lanname = 'c' AND proconfig IS NOT NULL) AS c_with_set,
       count(*) FILTER (WHERE prosecdef) AS security_definer
FROM members;

-- Only the pure text functions are executable by PUBLIC.
CREATE ROLE dskv2_catalog_probe;
SELECT proname FROM members WHERE has_function_privilege('dskv2_catalog_probe', oid, 'EXECUTE') ORDER BY proname;
SET ROLE dskv2_catalog_probe;
SELECT dskv2_slugify('Accessible à tous');
SELECT dskv2_boundary_selftest('ok');
SELECT * FROM dskv2_migrate_all();
RESET ROLE;
DROP ROLE dskv2_catalog_probe;

-- Both text functions can be used in indexes and generated columns (IMMUTABLE).
CREATE TABLE catalog_titles (title text, slug text GENERATED ALWAYS AS (dskv2_slugify(title)) STORED);
CREATE INDEX ON catalog_titles (dskv2_detect_sample_type(title));
INSERT INTO catalog_titles(title) VALUES ('Crème brûlée.pdf');
SELECT slug, dskv2_detect_sample_type(title) FROM catalog_titles;
DROP TABLE catalog_titles;

-- The catalogue as PL/pgSQL reads it (docs/architecture.md, "The catalogue").
SELECT ord, table_name, role, since, audited, identity_column, identity_legacy, slug_column, slug_fallback,
       slug_allocated, provenance, service_role
FROM dskv2_catalog_tables() ORDER BY ord;
SELECT ord, relation, schema_kind, mapping, key_column, key_type, optional, guarded, auth_path
FROM dskv2_catalog_legacy() ORDER BY ord;
SELECT ord, source_table, target_table, parents, merge FROM dskv2_catalog_mappings() ORDER BY ord;
SELECT child, child_column, parent, rejects_orphans, must_migrate_first FROM dskv2_catalog_edges() ORDER BY 1, 2;
SELECT table_name, column_name, parent_schema, parent_table, on_delete, constraint_name, index_name
FROM dskv2_catalog_foreign_keys() ORDER BY 1, 2;
-- The secret classes of the content tables' columns that are not public
-- (every bookkeeping column is internal), and the columns a shape step moved
-- to a table of their own (the gated and secret values: an API role reads
-- every column of a table it reads).
SELECT c.table_name, c.column_name, c.secrecy, c.until FROM dskv2_catalog_columns() c
  JOIN dskv2_catalog_tables() t ON t.table_name = c.table_name
WHERE (c.secrecy <> 'public' OR c.until IS NOT NULL) AND t.role NOT IN ('bookkeeping', 'ledger') ORDER BY 1, 2;
SELECT table_name, count(*) FILTER (WHERE kind = 'policy') AS policies, count(*) FILTER (WHERE kind = 'grant') AS grants
FROM dskv2_catalog_security() GROUP BY 1 ORDER BY 1;
-- The shape steps, and the statements of step 3 (a column and two policies).
SELECT step, step_name, kind, count(*) FROM dskv2_target_steps('dropskills_v2') GROUP BY 1, 2, 3 ORDER BY 1, 3;
SELECT kind, table_name, object_name, statement FROM dskv2_target_steps('dropskills_v2')
WHERE step = 3 ORDER BY 1, 3;
