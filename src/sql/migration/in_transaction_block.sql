CREATE OR REPLACE FUNCTION @extschema@.dskv2_in_transaction_block()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'dskv2_in_transaction_block'
LANGUAGE C VOLATILE;
