-- AFTER INSERT/UPDATE/DELETE FOR EACH ROW; argument: the target schema.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_ai_usage_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'dskv2_ai_usage_trigger'
LANGUAGE C;
