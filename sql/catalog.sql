-- Function properties fixed by the spec: volatility, strictness, parallel
-- safety, no SET clause on C functions that run no SQL, privileges.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dropskills_v2;
RESET client_min_messages;

SELECT p.proname, p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c') AS is_c,
       p.provolatile, p.proisstrict, p.proparallel, p.proconfig, p.prosecdef
FROM pg_proc p
WHERE p.proname LIKE 'dskv2\_%'
ORDER BY p.proname;

-- The diagnostic is superuser-only; the text functions are for everyone.
CREATE ROLE dskv2_catalog_probe;
SELECT has_function_privilege('dskv2_catalog_probe', 'dskv2_boundary_selftest(text)', 'EXECUTE') AS selftest,
       has_function_privilege('dskv2_catalog_probe', 'dskv2_slugify(text,text,integer)', 'EXECUTE') AS slugify,
       has_function_privilege('dskv2_catalog_probe', 'dskv2_detect_sample_type(text,text,bytea)', 'EXECUTE') AS detect;
SET ROLE dskv2_catalog_probe;
SELECT dskv2_slugify('Accessible à tous');
SELECT dskv2_boundary_selftest('ok');
RESET ROLE;
DROP ROLE dskv2_catalog_probe;

-- Both text functions can be used in indexes and generated columns (IMMUTABLE).
CREATE TABLE catalog_titles (title text, slug text GENERATED ALWAYS AS (dskv2_slugify(title)) STORED);
CREATE INDEX ON catalog_titles (dskv2_detect_sample_type(title));
INSERT INTO catalog_titles(title) VALUES ('Crème brûlée.pdf');
SELECT slug, dskv2_detect_sample_type(title) FROM catalog_titles;
DROP TABLE catalog_titles;
