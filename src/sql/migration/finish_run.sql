-- Closes a run in <target>.migration_runs (status, report, error) and, for a
-- completed one, writes its audit rows: one MIGRATE row per legacy table it
-- read rows of, after the legacy admin_logs rows. Internal.
CREATE OR REPLACE FUNCTION @extschema@.dskv2_finish_run(target pg_catalog.name, run_id pg_catalog.int8, status pg_catalog.text,
                                                        report pg_catalog.jsonb, error pg_catalog.text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor pg_catalog.text := NULLIF(pg_catalog.current_setting('dskv2.actor', true), '');
BEGIN
    EXECUTE pg_catalog.format('UPDATE %I.migration_runs SET status = $2, report = $3, error = $4,
                                      finished_at = pg_catalog.clock_timestamp() WHERE id = $1', target)
        USING run_id, status, report, error;
    -- The audit trail of a completed run: one `migration` row per table it
    -- read rows of, after the legacy admin_logs rows (the last table migrated).
    IF status = 'completed' THEN
        EXECUTE pg_catalog.format(
            'INSERT INTO %I.admin_logs (actor_id, actor_role, action, table_name, details, txid, source)
             SELECT $1, current_user::pg_catalog.text, ''MIGRATE'', r.entry->>''target_table'',
                    r.entry || pg_catalog.jsonb_build_object(''run_id'', $2, ''mode'',
                        (SELECT m.mode FROM %I.migration_runs m WHERE m.id = $2)),
                    pg_catalog.txid_current(), ''migration''
               FROM pg_catalog.jsonb_array_elements($3) WITH ORDINALITY AS r (entry, ord)
              WHERE (r.entry->>''rows_read'')::pg_catalog.int8 > 0
              ORDER BY r.ord', target, target)
            USING CASE WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       THEN actor::pg_catalog.uuid END,
                  run_id, report;
    END IF;
END
$$;
