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
-- No C function carries a SET clause; nothing is SECURITY DEFINER.
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
