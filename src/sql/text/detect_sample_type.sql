CREATE OR REPLACE FUNCTION @extschema@.dskv2_detect_sample_type(source pg_catalog.text,
                                                                hint pg_catalog.text DEFAULT NULL,
                                                                head pg_catalog.bytea DEFAULT NULL)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_detect_sample_type'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
