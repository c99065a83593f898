-- Diagnostic: drives every path of the C++/PostgreSQL error boundary.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_boundary_selftest(mode pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'dskv2_boundary_selftest'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION @extschema@.dskv2_boundary_selftest(pg_catalog.text) IS
'Diagnostic for superusers: raises each kind of C++ and PostgreSQL error through the extension''s error boundary (modes: ok, pg_ok, core_error, bad_alloc, std_exception, unknown_exception, pg_error)';
