-- dropskills_v2 0.1.0: install script.
-- Safe against search_path hijacking: every reference is schema-qualified
-- (@extschema@, pg_catalog) and no object is created with OR REPLACE / IF NOT EXISTS.

\echo Use "CREATE EXTENSION dropskills_v2" to load this file. \quit

-- Native text functions (C++). They run no SQL, so they carry no SET clause:
-- it would slow every call (one per migrated row).

CREATE FUNCTION @extschema@.dskv2_slugify(input pg_catalog.text,
                                          separator pg_catalog.text DEFAULT '-',
                                          max_length pg_catalog.int4 DEFAULT 0)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_slugify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_slugify(pg_catalog.text, pg_catalog.text, pg_catalog.int4) IS
'URL slug: runs of [a-z0-9] joined by separator; HTML entities decoded, scripts transliterated with built-in tables, emoji and symbols dropped; max_length > 0 keeps the longest whole-word prefix';

CREATE FUNCTION @extschema@.dskv2_detect_sample_type(source pg_catalog.text,
                                                     hint pg_catalog.text DEFAULT NULL,
                                                     head pg_catalog.bytea DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_detect_sample_type'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_detect_sample_type(pg_catalog.text, pg_catalog.text, pg_catalog.bytea) IS
'Sample type (pdf, video, audio, image, document, spreadsheet, presentation, archive, ebook, text, link, unknown) from magic bytes, host, MIME, extension, content and format word; never raises';

-- Diagnostic: drives every path of the C++/PostgreSQL error boundary.
CREATE FUNCTION @extschema@.dskv2_boundary_selftest(mode pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_boundary_selftest'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION @extschema@.dskv2_boundary_selftest(pg_catalog.text) IS
'Diagnostic for superusers: raises each kind of C++ and PostgreSQL error through the extension''s error boundary (modes: ok, pg_ok, core_error, bad_alloc, std_exception, unknown_exception, pg_error)';

REVOKE ALL ON FUNCTION @extschema@.dskv2_boundary_selftest(pg_catalog.text) FROM PUBLIC;

-- Supabase's default privileges grant EXECUTE to its API roles directly, so a
-- REVOKE FROM PUBLIC is not enough there.
DO $dskv2$
DECLARE
    api_role pg_catalog.text;
BEGIN
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = api_role) THEN
            EXECUTE pg_catalog.format(
                'REVOKE ALL ON FUNCTION %I.dskv2_boundary_selftest(pg_catalog.text) FROM %I',
                '@extschema@', api_role);
        END IF;
    END LOOP;
END
$dskv2$;
