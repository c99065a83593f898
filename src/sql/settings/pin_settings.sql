-- The pinned settings (docs/security.md, "Pinned settings") for the rest of
-- the current transaction. For the procedures, whose COMMIT undoes what a SET
-- clause sets: each of their transactions calls it first. No SET clause (it
-- would undo the settings on return). Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_pin_settings()
RETURNS void
AS 'MODULE_PATHNAME', 'dskv2_pin_settings'
LANGUAGE C VOLATILE;
