-- Every V2 column of the catalogue: its type, the shape step that created it,
-- whether the mapping writes it, the shape step that moved it to a table of
-- its own (NULL: none; an API role that reads a table reads every column of
-- it, docs/security.md), its secret class (public, personal, gated, secret, internal),
-- its home in legacy and inverse, and who writes it before the switch, after
-- it and after a switch back (legacy, v2, dskv2). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_catalog_columns()
RETURNS TABLE (table_name pg_catalog.text, ord pg_catalog.int4, column_name pg_catalog.text, type pg_catalog.text,
               since pg_catalog.int4, mapped pg_catalog.bool, until pg_catalog.int4, secrecy pg_catalog.text,
               legacy_home pg_catalog.text, inverse pg_catalog.text, owner_before_switch pg_catalog.text,
               owner_after_switch pg_catalog.text, owner_after_switch_back pg_catalog.text)
AS 'MODULE_PATHNAME', 'dskv2_catalog_columns'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
