-- The sequential slug allocator (docs/mapping.md, "Slugs of V2 rows"), called
-- once per row in processing order by the migration's INSERT: the first free
-- suffix of the row's stem. lazy: loads the assigned slugs of that stem only
-- (batches, live sync); serialize: one transaction at a time per stem, from the
-- latest committed slugs (live sync). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_claim_slug(tbl pg_catalog.regclass, slug_column pg_catalog.text,
                                                        base pg_catalog.text, fallback pg_catalog.text,
                                                        lazy pg_catalog.bool DEFAULT false,
                                                        serialize pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_claim_slug'
LANGUAGE C VOLATILE;
