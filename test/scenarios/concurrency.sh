#!/usr/bin/env bash
# The legacy app stays online: a pgbench writer runs during CALL dskv2_migrate
# and sees no error; the migration never holds more than ACCESS SHARE on a
# legacy table; a second migration fails at once with 55P03 naming the pid; a
# catch-up run accounts for every legacy row; live sync waiting for a lock an
# open transaction holds gives up with 55P03 naming the tables, never the
# statement. The migration and the writer run as the DBA, postgres (not a
# superuser).
source "$(dirname "$0")/tap.bash"
LOGS=$(mktemp -d)
plan 17
fresh_db dskv2_scen_conc S
q -c "SELECT dskv2_create_schema('dropskills_v2')" >/dev/null   # the FK to auth.users is added here, not under load

PGAPPNAME=dskv2_migration PGOPTIONS="-c dskv2.batch_pause_ms=20" \
    psql -qXAt -d "$DB" -c "CALL dskv2_migrate('public', 'dropskills_v2', 60)" >"$LOGS/migrate.log" 2>&1 &
migration=$!
"$(pg_config --bindir)/pgbench" -n -c 2 -t 400 -f "$(dirname "$0")/legacy_writer.pgbench" "$DB" \
    >"$LOGS/pgbench.log" 2>&1 &
writer=$!

# While it runs: every lock the migration holds on legacy tables. On public
# tables: ACCESS SHARE only. On auth.users, the users -> auth.users foreign key
# also takes its usual FOR KEY SHARE row locks (RowShareLock) on the auth users
# a batch copies, as any insert referencing auth.users does.
strong=0
second=""
for _ in $(seq 1 3000); do
    kill -0 $migration 2>/dev/null || break
    n=$(q -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
              JOIN pg_namespace ns ON ns.oid = c.relnamespace
              JOIN pg_stat_activity a ON a.pid = l.pid AND a.application_name = 'dskv2_migration'
              WHERE (ns.nspname = 'public' AND l.mode <> 'AccessShareLock')
                 OR (ns.nspname = 'auth' AND l.mode NOT IN ('AccessShareLock', 'RowShareLock'))" 2>/dev/null || echo 0)
    strong=$((strong + n))
    if [ -z "$second" ]; then
        second=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "SELECT count(*) FROM dskv2_migrate_all()" 2>&1)
    fi
    sleep 0.05
done
wait $writer; writer_rc=$?
wait $migration; migration_rc=$?
ok $migration_rc "CALL dskv2_migrate completes while the legacy app writes"
ok $writer_rc "the legacy writer (pgbench) exits cleanly"
grep -q "number of failed transactions: 0" "$LOGS/pgbench.log"; ok $? "the legacy writer saw zero failed transactions"
is "$strong" "0" "the migration never held more than ACCESS SHARE on a legacy table (auth.users: key-share row locks of the foreign key)"
echo "$second" | grep -q "55P03"; ok $? "a second, concurrent migration fails at once with 55P03"
pid=$(q -c "SELECT pid FROM dropskills_v2.migration_runs ORDER BY id LIMIT 1")
echo "$second" | grep -q "(pid $pid)"; ok $? "... naming the running migration's pid"

q -c "CALL dskv2_migrate('public', 'dropskills_v2', 60)" >/dev/null 2>&1
ok $? "a catch-up run migrates what arrived meanwhile"
is "$(q -c "SELECT count(*) FROM public.products")" \
   "$(q -c "SELECT (SELECT count(*) FROM dropskills_v2.packs WHERE migration_run_id IS NOT NULL)
              + (SELECT count(*) FROM dropskills_v2.migration_rejects WHERE source_table = 'products')")" \
   "every legacy product is in V2 or quarantined"
is "$(q -c "SELECT (SELECT count(*) FROM public.tags) || '/' || (SELECT count(*) FROM public.favorites)")" \
   "$(q -c "SELECT ((SELECT count(*) FROM dropskills_v2.pack_tags WHERE legacy_id IS NOT NULL)
                  + (SELECT count(*) FROM dropskills_v2.migration_merges WHERE source_table = 'tags')
                  + (SELECT count(*) FROM dropskills_v2.migration_rejects WHERE source_table = 'tags')) || '/' ||
                 ((SELECT count(*) FROM dropskills_v2.favorites WHERE legacy_id IS NOT NULL)
                  + (SELECT count(*) FROM dropskills_v2.migration_merges WHERE source_table = 'favorites')
                  + (SELECT count(*) FROM dropskills_v2.migration_rejects WHERE source_table = 'favorites'))")" \
   "every legacy tag and favorite is written, merged or quarantined"
# A legacy transaction left open holds a lock live sync needs (CREATE TRIGGER
# conflicts with its ROW EXCLUSIVE): dskv2_sync_enable retries, then gives up.
# (supabase_admin lets the DBA own auth.users' triggers first, as live_sync.sh does.)
qa -c "GRANT supabase_auth_admin TO $DBA" >/dev/null
PGAPPNAME=dskv2_holder psql -qXAt -d "$DB" -c "BEGIN" -c "UPDATE public.product_stats SET views = views WHERE false" \
     -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
holder=$!
for _ in $(seq 1 100); do
    [ "$(q -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
               WHERE c.relname = 'product_stats' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()")" = 1 ] && break
    sleep 0.05
done
out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "SET dskv2.lock_timeout = '20ms'" -c "SET dskv2.lock_retries = 2" \
      -c "SELECT dskv2_sync_enable()" 2>&1)
echo "$out" | grep -q "ERROR:  55P03: dskv2: could not lock the legacy tables .*public.product_stats.* in time"
ok $? "live sync behind an open legacy transaction gives up with 55P03 naming the tables"
# The message, its detail and hint (PostgreSQL's CONTEXT lines quote the PL/pgSQL source).
echo "$out" | grep -E '^(ERROR|DETAIL|HINT):' >"$LOGS/sync_lock.log"
[ -s "$LOGS/sync_lock.log" ] && ! grep -qi "LOCK TABLE" "$LOGS/sync_lock.log"
ok $? "... and the message carries no generated SQL"
is "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dskv2_sync%'")" "0" "... and nothing is attached"
qa -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dskv2_holder'" >/dev/null
wait $holder 2>/dev/null
qa -c "REVOKE supabase_auth_admin FROM $DBA" >/dev/null  # roles are the cluster's
# The target had its audit triggers throughout (dskv2_create_schema above): the
# batches' rows were not audited one by one.
is "$(q -c "SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'trigger'")" "0" \
   "batches written into a target with audit triggers are not audited row by row"

# dskv2_create_schema brings an older target up to date (step 4 moves
# packs.file_url) while the application writes with live sync on: a session
# whose sync statements were prepared before (warm) and one describing the
# table for the first time (cold) both wait for the step's lock, and when it
# commits their changes reach V2 with the new shape's statements: no failed
# legacy statement, no sync_error.
qa -c "GRANT supabase_auth_admin TO $DBA" >/dev/null
q -c "SELECT dskv2_sync_enable()" >/dev/null
ok $? "live sync on, before the target falls behind"
q >/dev/null <<'SQL'
DELETE FROM dropskills_v2.shape_steps WHERE step > 3;
ALTER TABLE dropskills_v2.packs ADD COLUMN file_url text;
UPDATE dropskills_v2.packs p SET file_url = f.file_url FROM dropskills_v2.pack_files f WHERE f.pack_id = p.id;
DROP TABLE dropskills_v2.pack_files;
ALTER TABLE dropskills_v2.ai_tools ADD COLUMN config jsonb NOT NULL DEFAULT '{}';
DROP TABLE dropskills_v2.ai_tool_secrets;
SQL
warm_id=$(q -c "SELECT p.id FROM public.products p JOIN dropskills_v2.packs v ON v.id = p.id ORDER BY p.id LIMIT 1")
cold_id=$(q -c "SELECT p.id FROM public.products p JOIN dropskills_v2.packs v ON v.id = p.id ORDER BY p.id DESC LIMIT 1")
wait_for_step='DO $$ BEGIN
    WHILE NOT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                       WHERE a.application_name = '"'dskv2_shape'"' AND l.granted AND l.mode = '"'AccessExclusiveLock'"'
                         AND l.relation = '"'dropskills_v2.packs'"'::regclass) LOOP
        PERFORM pg_sleep(0.02);
    END LOOP;
END $$'
psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -c "UPDATE public.products SET title = title || ' (avant)' WHERE id = '$warm_id'" \
     -c "$wait_for_step" -c "UPDATE public.products SET title = title || ' (pendant)' WHERE id = '$warm_id'" \
     >"$LOGS/warm.log" 2>&1 &
warm=$!
psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -c "$wait_for_step" \
     -c "UPDATE public.products SET title = title || ' (froid)' WHERE id = '$cold_id'" >"$LOGS/cold.log" 2>&1 &
cold=$!
PGAPPNAME=dskv2_shape psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -c "BEGIN" -c "SELECT dskv2_create_schema()" \
     -c "SELECT pg_sleep(1)" -c "COMMIT" >"$LOGS/shape.log" 2>&1
shape_rc=$?
wait $warm; warm_rc=$?
wait $cold; cold_rc=$?
[ $shape_rc -eq 0 ] && [ $warm_rc -eq 0 ] && [ $cold_rc -eq 0 ] && ! grep -q "WARNING\|ERROR" "$LOGS/warm.log" "$LOGS/cold.log"
ok $? "legacy writes waiting for dskv2_create_schema's step go through, with no warning" || cat "$LOGS"/{shape,warm,cold}.log | sed 's/^/# /'
is "$(q -c "SELECT count(*) FROM dropskills_v2.packs WHERE (id = '$warm_id' AND title LIKE '% (avant) (pendant)')
                                                         OR (id = '$cold_id' AND title LIKE '% (froid)')")" \
   "2" "... their changes reached V2 with the new shape's statements"
is "$(q -c "SELECT count(*) FROM dropskills_v2.migration_rejects WHERE reason = 'sync_error'")" "0" "... and nothing was quarantined as sync_error"
q -c "SELECT dskv2_sync_disable()" >/dev/null
qa -c "REVOKE supabase_auth_admin FROM $DBA" >/dev/null
finish
