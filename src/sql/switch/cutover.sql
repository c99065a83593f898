-- The switch (docs/switch.md, "The switch"). In one transaction: the legacy tables locked (SHARE
-- ROW EXCLUSIVE, all at once, short lock_timeout with retries), the final
-- catch-up, the verification; when a check fails, everything is undone and the
-- failing checks are returned. Otherwise: guard triggers make the legacy
-- public tables read-only for application roles (25006; members of
-- exempt_roles, and writes made by triggers and foreign key actions, go on),
-- live sync stays on for auth.users and profiles (sign-ups reach V2 users) and
-- goes off for the other tables, and the switch is recorded in the run
-- history and admin_logs.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_cutover(source pg_catalog.name DEFAULT 'public',
                                                     target pg_catalog.name DEFAULT 'dropskills_v2',
                                                     exempt_roles pg_catalog.name[] DEFAULT '{}')
RETURNS TABLE (step pg_catalog.text, ok pg_catalog.bool, detail pg_catalog.text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET transform_null_equals = off
SET array_nulls = on
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = postgres
SET bytea_output = hex
SET extra_float_digits = 1
AS $$
DECLARE
    r record;
    c record;
    sync_run pg_catalog.int8;
    run_id pg_catalog.int8;
    steps pg_catalog.text[] := '{}';
    oks pg_catalog.bool[] := '{}';
    details pg_catalog.text[] := '{}';
    failing pg_catalog.text[];
    failing_details pg_catalog.text[];
    role_args pg_catalog.text := '';
    guarded pg_catalog.text[] := '{}';
    actor pg_catalog.text := NULLIF(pg_catalog.current_setting('dskv2.actor', true), '');
    holder pg_catalog.text;
BEGIN
    PERFORM @extschema@.dskv2_require_origin('dskv2_cutover');
    PERFORM @extschema@.dskv2_check_source(source, target);
    IF pg_catalog.to_regnamespace(pg_catalog.quote_ident(target)) IS NULL THEN
        RAISE EXCEPTION 'dskv2: target schema "%" does not exist', target USING ERRCODE = '3F000',
            HINT = 'Migrate first: dskv2_migrate_all() or CALL dskv2_migrate().';
    END IF;
    -- Never a guard or an auth path trigger this role could not drop later (dskv2_preflight).
    PERFORM @extschema@.dskv2_require_preflight('cutover', source, target);
    IF exempt_roles IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.unnest(exempt_roles) x
                                        WHERE x IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles pr WHERE pr.rolname = x)) THEN
        RAISE EXCEPTION 'dskv2: exempt_roles must list existing roles: %', exempt_roles USING ERRCODE = '22023';
    END IF;
    -- Not while a migration writes into the target: a refusal, as a row.
    BEGIN
        PERFORM @extschema@.dskv2_take_lock(target, false);
    EXCEPTION WHEN lock_not_available THEN
        GET STACKED DIAGNOSTICS holder = MESSAGE_TEXT;
        step := 'migration_lock'; ok := false; detail := holder;
        RETURN NEXT;
        RETURN;
    END;
    PERFORM pg_catalog.pg_advisory_xact_lock(1685285684, @extschema@.dskv2_lock_key(target));

    BEGIN
        -- No legacy write in flight from here on: the catch-up is final.
        PERFORM @extschema@.dskv2_lock_legacy(source);
        steps := steps || 'lock'::pg_catalog.text; oks := oks || true;
        details := details || 'legacy tables locked in SHARE ROW EXCLUSIVE mode until the switch commits'::pg_catalog.text;
        sync_run := @extschema@.dskv2_sync_run(source, target);
        IF sync_run IS NULL THEN
            sync_run := @extschema@.dskv2_start_run(target, 'sync',
                pg_catalog.jsonb_build_object('source', source, 'target', target, 'phase', 'sync'));
        END IF;
        FOR c IN SELECT * FROM @extschema@.dskv2_sync_catch_up(source, target, sync_run, true) LOOP
            steps := steps || 'catch_up'::pg_catalog.text; oks := oks || true;
            details := details || pg_catalog.format('%s: %s rows migrated, %s keys brought in line',
                                                    c.source_table, c.migrated, c.caught_up);
        END LOOP;
        SELECT pg_catalog.array_agg(v.check_name || ':' || v.table_name ORDER BY v.check_name, v.table_name),
               pg_catalog.array_agg(v.detail ORDER BY v.check_name, v.table_name)
          INTO failing, failing_details
          FROM @extschema@.dskv2_verify_integrity(source, target) v WHERE NOT v.ok;
        IF failing IS NOT NULL THEN
            RAISE EXCEPTION 'dskv2: cutover refused' USING ERRCODE = 'DSKCR';
        END IF;
        steps := steps || 'verify'::pg_catalog.text; oks := oks || true;
        details := details || 'every check of dskv2_verify_integrity() passed'::pg_catalog.text;
    EXCEPTION WHEN SQLSTATE 'DSKCR' THEN
        FOR i IN 1..pg_catalog.cardinality(failing) LOOP
            step := 'verify:' || failing[i]; ok := false; detail := failing_details[i];
            RETURN NEXT;
        END LOOP;
        step := 'cutover'; ok := false;
        detail := 'refused: verification failed; nothing was changed (see dskv2_verify_integrity())';
        RETURN NEXT;
        RETURN;
    END;

    -- Guards on the public tables.
    SELECT COALESCE(pg_catalog.string_agg(pg_catalog.format(', %L', x), '' ORDER BY x), '') INTO role_args
      FROM pg_catalog.unnest(exempt_roles) x;
    FOR r IN SELECT s.* FROM @extschema@.dskv2_sync_relations(source) s WHERE s.rel IS NOT NULL AND s.guarded ORDER BY s.ord LOOP
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format(
            'CREATE OR REPLACE TRIGGER dskv2_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.dskv2_guard_trigger(%L%s)', r.rel, target, role_args),
            pg_catalog.format('table %s', r.rel));
        guarded := guarded || r.rel::pg_catalog.text;
        steps := steps || 'guard'::pg_catalog.text; oks := oks || true;
        details := details || pg_catalog.format('%s is read-only for application roles (25006)', r.rel);
    END LOOP;
    -- Live sync: kept for the sign-up path, off for the rest. Disabled, not
    -- dropped: DROP TRIGGER would need ACCESS EXCLUSIVE on tables the app
    -- reads (the lock held since the start is SHARE ROW EXCLUSIVE); the
    -- rollback or dskv2_sync_disable() drops them later.
    FOR r IN SELECT s.*, t.tgname FROM @extschema@.dskv2_sync_relations(source) s
               JOIN pg_catalog.pg_trigger t ON t.tgrelid = s.rel AND t.tgname IN ('dskv2_sync', 'dskv2_sync_truncate', 'dskv2_sync_flush')
              WHERE NOT s.auth_path AND t.tgenabled <> 'D' ORDER BY s.ord, t.tgname LOOP
        PERFORM @extschema@.dskv2_ddl_with_retry(pg_catalog.format('ALTER TABLE %s DISABLE TRIGGER %I', r.rel, r.tgname),
                                                 pg_catalog.format('table %s', r.rel));
        IF r.tgname = 'dskv2_sync' THEN
            steps := steps || 'sync_off'::pg_catalog.text; oks := oks || true;
            details := details || pg_catalog.format('%s no longer synced', r.rel);
        END IF;
    END LOOP;
    FOR r IN SELECT s.* FROM @extschema@.dskv2_sync_relations(source) s WHERE s.rel IS NOT NULL AND s.auth_path ORDER BY s.ord LOOP
        PERFORM @extschema@.dskv2_attach_sync(r.rel, source, target, sync_run);
        steps := steps || 'auth_path'::pg_catalog.text; oks := oks || true;
        details := details || pg_catalog.format('%s keeps syncing into %I.users', r.rel, target);
    END LOOP;
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET params = params || ''{"phase": "cutover"}'' WHERE id = $1', target)
        USING sync_run;

    -- The record: a run of its own, and one admin_logs row.
    run_id := @extschema@.dskv2_start_run(target, 'cutover',
        pg_catalog.jsonb_build_object('source', source, 'target', target, 'exempt_roles', exempt_roles,
                                      'sync_run', sync_run));
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = ''completed'', report = $2,
                                      finished_at = pg_catalog.clock_timestamp() WHERE id = $1', target)
        USING run_id, (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('step', s.step, 'ok', s.ok, 'detail', s.detail)
                                                   ORDER BY s.n)
                         FROM ROWS FROM (pg_catalog.unnest(steps), pg_catalog.unnest(oks), pg_catalog.unnest(details))
                              WITH ORDINALITY AS s (step, ok, detail, n));
    EXECUTE pg_catalog.format(
        'INSERT INTO %I.admin_logs (actor_id, actor_role, action, table_name, details, txid, source)
         VALUES ($1, current_user::pg_catalog.text, ''CUTOVER'', NULL, $2, pg_catalog.txid_current(), ''migration'')', target)
        USING CASE WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN actor::pg_catalog.uuid END,
              pg_catalog.jsonb_build_object('run_id', run_id, 'source', source, 'guarded', guarded,
                                            'exempt_roles', exempt_roles, 'sync_run', sync_run);
    steps := steps || 'recorded'::pg_catalog.text; oks := oks || true;
    details := details || pg_catalog.format('run %s in %I.migration_runs, CUTOVER in %I.admin_logs', run_id, target, target);
    FOR i IN 1..pg_catalog.cardinality(steps) LOOP
        step := steps[i]; ok := oks[i]; detail := details[i];
        RETURN NEXT;
    END LOOP;
    RAISE NOTICE 'dskv2: switched from % to %', source, target;
END
$$;
