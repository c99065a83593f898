-- Why `target` is not trusted (docs/security.md, "Trust from ownership"):
-- one row per offending object, the first one first; no row when it is
-- trusted. The owner is the target schema's; <target>_private, <target>_api
-- and every relation, sequence, type and function in the three must be that
-- owner's, no other role may hold TRIGGER, TRUNCATE or REFERENCES on their
-- relations (nor write the private bookkeeping), and every function that runs
-- when dskv2 writes there (defaults, generated columns, CHECKs, index
-- expressions, triggers, and the functions behind the operators they use)
-- belongs to pg_catalog, to this extension or to that owner. Reads only the
-- system catalogs; the query is the one the triggers' identity switches run
-- (src/pg/trust.cpp). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_trust_findings(target pg_catalog.name)
RETURNS TABLE (object pg_catalog.text, problem pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_trust_findings'
LANGUAGE C STABLE;
