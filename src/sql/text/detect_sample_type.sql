-- The sample type a buyer will open (docs/mapping.md, "Sample types"). Native;
-- runs no SQL, so no SET clause (it would slow every call).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_detect_sample_type(source pg_catalog.text,
                                                                hint pg_catalog.text DEFAULT NULL,
                                                                head pg_catalog.bytea DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_detect_sample_type'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.dskv2_detect_sample_type(pg_catalog.text, pg_catalog.text, pg_catalog.bytea) IS
'Sample type (pdf, video, audio, image, document, spreadsheet, presentation, archive, ebook, text, link, unknown) from magic bytes, host, MIME, extension, content and format word; never raises';
