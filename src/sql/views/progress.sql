-- The progress of the running or last batched migration into dropskills_v2,
-- from committed data: readable from another session (docs/api.md, "Functions").
CREATE OR REPLACE VIEW @extschema@.dskv2_progress WITH (security_invoker = true) AS
    SELECT * FROM @extschema@.dskv2_progress_of('dropskills_v2');
