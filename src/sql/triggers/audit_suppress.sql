-- The backend-local flag a migration sets so its own writes are not audited
-- row by row (internal; reset at transaction end). Returns the previous value.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_audit_suppress("on" pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_audit_suppress'
LANGUAGE C VOLATILE;
