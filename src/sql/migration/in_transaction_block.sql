-- True inside an explicit transaction block: CALL dskv2_migrate refuses to
-- start there (2D000), since it commits every batch. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_in_transaction_block()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_in_transaction_block'
LANGUAGE C VOLATILE;
