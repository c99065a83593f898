-- AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW (and BEFORE TRUNCATE, refused)
-- on a legacy table; arguments: target, source, sync run id.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_sync_trigger'
LANGUAGE C;
