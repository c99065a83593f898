-- Records one AI request: idempotent on request_id, quota-checked, priced.
-- DBA only: revoked from every API role (docs/security.md, "Who may execute what").
CREATE OR REPLACE FUNCTION @extschema@.dskv2_track_ai_usage(tool pg_catalog.text, user_id pg_catalog.uuid,
                                                            input_tokens pg_catalog.int4, output_tokens pg_catalog.int4,
                                                            request_id pg_catalog.text DEFAULT NULL,
                                                            metadata pg_catalog.jsonb DEFAULT NULL,
                                                            target pg_catalog.name DEFAULT 'dropskills_v2')
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'dskv2_track_ai_usage'
LANGUAGE C VOLATILE;
