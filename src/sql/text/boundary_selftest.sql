-- Diagnostic: drives every path of the C++/PostgreSQL error boundary.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_boundary_selftest(mode pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_boundary_selftest'
LANGUAGE C VOLATILE STRICT;
