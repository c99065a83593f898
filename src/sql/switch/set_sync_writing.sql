-- Sets that flag for the catch-up (internal); returns the previous value.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_set_sync_writing("on" pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_set_sync_writing'
LANGUAGE C VOLATILE;
