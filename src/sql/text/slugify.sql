-- The URL slug of a text (docs/mapping.md, "Slugs"). Native; runs no SQL, so
-- no SET clause (it would slow every call, one per migrated row).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_slugify(input pg_catalog.text,
                                                     separator pg_catalog.text DEFAULT '-',
                                                     max_length pg_catalog.int4 DEFAULT 0)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_slugify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_slugify(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'URL slug: runs of [a-z0-9] joined by separator; HTML entities decoded, scripts transliterated with built-in tables, emoji and symbols dropped; max_length > 0 keeps the longest whole-word prefix';
