-- Takes (without waiting) or releases the session-level advisory lock of a
-- batched run, released on error, cancel and abort too. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_session_lock(key1 pg_catalog.int4, key2 pg_catalog.int4, acquire pg_catalog.bool)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_session_lock'
LANGUAGE C VOLATILE STRICT;
