-- Records one AI request: idempotent on request_id (22023 when the id was
-- recorded for another user or tool), quota-checked, priced. Writes with its
-- caller's rights: for the target's owner and service_role (which reaches it
-- through <target>_api), revoked from anon and authenticated
-- (docs/security.md, "Who may execute what").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_track_ai_usage(tool pg_catalog.text, user_id pg_catalog.uuid,
                                                            input_tokens pg_catalog.int4, output_tokens pg_catalog.int4,
                                                            request_id pg_catalog.text DEFAULT NULL,
                                                            metadata pg_catalog.jsonb DEFAULT NULL,
                                                            target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'dskv2_track_ai_usage'
LANGUAGE C VOLATILE;
