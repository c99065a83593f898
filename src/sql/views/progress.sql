CREATE OR REPLACE VIEW @extschema@.dskv2_progress WITH (security_invoker = true) AS
    SELECT * FROM @extschema@.dskv2_progress_of('dropskills_v2');
