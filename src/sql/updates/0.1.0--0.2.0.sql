-- The changes of release 0.2.0 that re-running every routine file cannot make:
-- routines dropped, renamed or changed in kind or signature (an explicit DROP
-- here, then the routine's file creates it again), new types. No CASCADE: an
-- update never drops anything that depends on the extension.

-- The table lists of 0.1.0 now come from the catalogue (dskv2_catalog_*).
DROP FUNCTION @extschema@.dskv2_mapping_tables();
DROP FUNCTION @extschema@.dskv2_policies();
-- dskv2_sync_relations also tells which relations are guarded and which stay on the auth path.
DROP FUNCTION @extschema@.dskv2_sync_relations(pg_catalog.name);
-- dskv2_ddl_with_retry names the object it locks in its error, not the statement.
DROP FUNCTION @extschema@.dskv2_ddl_with_retry(pg_catalog.text);
