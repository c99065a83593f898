-- <target>_api: what PostgREST may expose to service_role (docs/security.md,
-- "The API schema"). Created, marked and filled by dskv2_create_schema, owned
-- like the target (the trust check covers it): SECURITY INVOKER wrappers of
-- extension functions, bound to their target, with EXECUTE for service_role
-- only. The wrappers are SQL functions with a BEGIN ATOMIC body: they depend
-- on the extension members they call, so DROP EXTENSION ... CASCADE drops them
-- and dskv2_create_schema makes them again. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_api_schema(target pg_catalog.name)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    api pg_catalog.name := (target || '_api')::pg_catalog.name;
    service pg_catalog.bool := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role');
BEGIN
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(api)) IS NULL THEN
        EXECUTE pg_catalog.format('CREATE SCHEMA %I', api);
        EXECUTE pg_catalog.format('COMMENT ON SCHEMA %I IS %L', api, @extschema@.dskv2_target_marker());
    ELSIF pg_catalog.obj_description(pg_catalog.to_regnamespace(pg_catalog.quote_ident(api)), 'pg_namespace')
          IS DISTINCT FROM @extschema@.dskv2_target_marker() THEN
        RAISE EXCEPTION 'dskv2: schema "%" exists but was not created by dropskills_v2', api
            USING ERRCODE = '42P06',
                  HINT = 'dskv2_create_schema keeps the API wrappers of a target in <target>_api.';
    END IF;
    EXECUTE pg_catalog.format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', api);
    -- AI metering: one call per request, as service_role (the backend's key).
    EXECUTE pg_catalog.format($f$
        CREATE OR REPLACE FUNCTION %1$I.track_ai_usage(tool pg_catalog.text, user_id pg_catalog.uuid,
                                                       input_tokens pg_catalog.int4, output_tokens pg_catalog.int4,
                                                       request_id pg_catalog.text DEFAULT NULL,
                                                       metadata pg_catalog.jsonb DEFAULT NULL)
        RETURNS pg_catalog.int8
        LANGUAGE sql VOLATILE SECURITY INVOKER
        SET search_path = pg_catalog, pg_temp
        BEGIN ATOMIC
            SELECT %2$s.dskv2_track_ai_usage(tool, user_id, input_tokens, output_tokens, request_id, metadata,
                                             %3$L::pg_catalog.name);
        END$f$, api, '@extschema@', target);
    EXECUTE pg_catalog.format('COMMENT ON FUNCTION %I.track_ai_usage(pg_catalog.text, pg_catalog.uuid, pg_catalog.int4, '
                              'pg_catalog.int4, pg_catalog.text, pg_catalog.jsonb) IS %L', api,
        'dropskills_v2: records one AI request of target ' || target || ' (quota-checked, idempotent on request_id)');
    EXECUTE pg_catalog.format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM PUBLIC', api);
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
        EXECUTE pg_catalog.format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM anon', api);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
        EXECUTE pg_catalog.format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM authenticated', api);
    END IF;
    IF service THEN
        EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO service_role', api);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO service_role', api);
        -- For a service_role created after CREATE EXTENSION too, when this role
        -- may grant it (the extension's owner; a DBA that is not leaves it to
        -- CREATE EXTENSION and the updates).
        IF pg_catalog.has_function_privilege(current_user, '@extschema@.dskv2_track_ai_usage(pg_catalog.text, pg_catalog.uuid, '
               'pg_catalog.int4, pg_catalog.int4, pg_catalog.text, pg_catalog.jsonb, pg_catalog.name)', 'EXECUTE WITH GRANT OPTION') THEN
            GRANT EXECUTE ON FUNCTION @extschema@.dskv2_track_ai_usage(pg_catalog.text, pg_catalog.uuid, pg_catalog.int4,
                pg_catalog.int4, pg_catalog.text, pg_catalog.jsonb, pg_catalog.name) TO service_role;
        END IF;
    END IF;
END
$$;
