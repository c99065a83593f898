-- BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on a legacy
-- table after the cutover; arguments: target, then the exempt roles.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_guard_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_guard_trigger'
LANGUAGE C;
