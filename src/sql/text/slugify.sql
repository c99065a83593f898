CREATE OR REPLACE FUNCTION @extschema@.dskv2_slugify(input pg_catalog.text,
                                                     separator pg_catalog.text DEFAULT '-',
                                                     max_length pg_catalog.int4 DEFAULT 0)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_slugify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
