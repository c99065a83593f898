CREATE OR REPLACE FUNCTION @extschema@.dskv2_claim_slug(tbl pg_catalog.regclass, slug_column pg_catalog.text,
                                                        base pg_catalog.text, fallback pg_catalog.text,
                                                        lazy pg_catalog.bool DEFAULT false,
                                                        serialize pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_claim_slug'
LANGUAGE C VOLATILE;
