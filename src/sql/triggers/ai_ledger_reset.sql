-- AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on
-- ai_usage; argument: the target schema. Empties the quota ledger when
-- something other than the metering writes ai_usage.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ai_ledger_reset()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_ai_ledger_reset'
LANGUAGE C;
