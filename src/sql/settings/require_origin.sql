-- 22023 unless session_replication_role is origin: a DBA entry point refuses
-- a replica session, where V2's foreign keys, triggers and audit would not
-- fire (docs/security.md, "Pinned settings"). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_require_origin(entry_point pg_catalog.text)
RETURNS void
AS 'MODULE_PATHNAME', 'dskv2_require_origin'
LANGUAGE C VOLATILE;
