-- AFTER INSERT/UPDATE/DELETE FOR EACH ROW and AFTER TRUNCATE; arguments: the
-- target schema, then the ignored columns.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_audit_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_audit_trigger'
LANGUAGE C;
