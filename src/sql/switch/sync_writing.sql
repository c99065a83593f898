-- Whether live sync is writing V2 in this backend right now (internal).
CREATE OR REPLACE FUNCTION @extschema@.dskv2_sync_writing()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_sync_writing'
LANGUAGE C VOLATILE;
