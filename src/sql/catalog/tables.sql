-- The V2 tables of the catalogue (docs/architecture.md, "The catalogue"), in
-- the order they are created: role (content, log, metering, ledger,
-- bookkeeping), the shape step that created it, whether the audit trigger is
-- attached by default, its identity and the legacy table whose ids that
-- identity stays above, its slug, its provenance column (set only on rows
-- from legacy), and service_role's privileges. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_tables()
RETURNS TABLE (ord pg_catalog.int4, table_name pg_catalog.text, role pg_catalog.text, since pg_catalog.int4,
               audited pg_catalog.bool, identity_column pg_catalog.text, identity_legacy pg_catalog.text,
               slug_column pg_catalog.text, slug_fallback pg_catalog.text, slug_allocated pg_catalog.bool,
               provenance pg_catalog.text, service_role pg_catalog.text, description pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_catalog_tables'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
