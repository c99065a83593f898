#!/usr/bin/env bash
# CALL dskv2_migrate: batched end state equals the one-transaction run; its
# refusals (2D000 in a transaction block, 22023 for a bad batch_size) write nothing.
# Everything runs as the DBA, postgres, who is not a superuser (tap.bash fresh_db).
source "$(dirname "$0")/tap.bash"
plan 16
fresh_db dskv2_scen_batched S

q -c "SELECT count(*) FROM dskv2_migrate_all('public', 'v2_atomic')" >/dev/null 2>&1
ok $? "dskv2_migrate_all into v2_atomic"
q -c "CALL dskv2_migrate('public', 'v2_batched', 97)" >/dev/null 2>&1
ok $? "CALL dskv2_migrate into v2_batched with batch_size 97"
is "$(digest v2_batched)" "$(digest v2_atomic)" "batched end state equals the atomic one (same slugs, ids, rejects, merges)"
is "$(q -c "SELECT mode || ':' || status FROM v2_batched.migration_runs")" "batched:completed" "the run is recorded as completed"
is "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'v2_batched.%' AND tgname LIKE 'dskv2_audit%'")" "14" \
   "the audit triggers are attached once the target is loaded"
is "$(q -c "SELECT string_agg(source || ':' || action, ',' ORDER BY id) FROM v2_batched.admin_logs WHERE source <> 'legacy'")" \
   "$(printf 'migration:MIGRATE,%.0s' 1 2 3 4 5 6 7 8 | sed 's/,$//'),migration:MIGRATE" \
   "no per-row audit of migrated rows, one MIGRATE row per table"
is "$(q -c "SELECT string_agg(status, ',') FROM v2_batched.migration_state")" "done,done,done,done,done,done,done,done,done" \
   "every legacy table is done in the checkpoint ledger"

out=$(psql -qXAt -d "$DB" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "BEGIN" -c "CALL dskv2_migrate('public', 'v2_in_tx', 100)" 2>&1)
echo "$out" | grep -q "2D000" ; ok $? "CALL inside a transaction block raises 2D000"
is "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'v2_in_tx'")" "0" "... and writes nothing"
out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "CALL dskv2_migrate('public', 'v2_bad', 0)" 2>&1)
echo "$out" | grep -q "22023"; ok $? "batch_size 0 raises 22023"

# A batch that fails (here: a V2 CHECK the DBA added that a legacy row breaks)
# records the run as failed with its error; once fixed, the next CALL resumes.
q -c "SELECT dskv2_create_schema('v2_fail')" -c "ALTER TABLE v2_fail.packs ADD CONSTRAINT no_poison CHECK (title <> 'poison')" >/dev/null
q -c "UPDATE public.products SET title = 'poison' WHERE id = (SELECT id FROM public.products ORDER BY created_at NULLS LAST, id OFFSET 250 LIMIT 1)" >/dev/null
out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "CALL dskv2_migrate('public', 'v2_fail', 100)" 2>&1)
echo "$out" | grep -q "23514"; ok $? "a failing batch raises its own SQLSTATE (23514)"
is "$(q -c "SELECT status || ' ' || (error LIKE '23514:%no_poison%table products%') FROM v2_fail.migration_runs")" "failed true" \
   "the run is recorded as failed, with the error and where it stopped"
is "$(q -c "SELECT rows_done FROM v2_fail.migration_state WHERE source_table = 'products'")" "200" \
   "the batches before the failing one are kept"
q -c "ALTER TABLE v2_fail.packs DROP CONSTRAINT no_poison" -c "CALL dskv2_migrate('public', 'v2_fail', 100)" >/dev/null 2>&1
ok $? "once fixed, the next CALL resumes and completes"


# A lock the application holds on a V2 table: the batch waits dskv2.lock_timeout,
# backs off and retries instead of failing.
q -c "SELECT dskv2_create_schema('v2_locked')" -c "CREATE TABLE release_lock (done boolean)" >/dev/null
LOGS=$(mktemp -d)
psql -qXAt -d "$DB" -c "DO \$\$ BEGIN
    LOCK TABLE v2_locked.pack_stats IN SHARE MODE;  -- as a CREATE INDEX would: reads go on, writes wait
    FOR i IN 1..1200 LOOP EXIT WHEN EXISTS (SELECT 1 FROM release_lock); PERFORM pg_sleep(0.05); END LOOP;
END \$\$" >/dev/null 2>&1 &
locker=$!
for _ in $(seq 1 200); do
    [ "$(q -c "SELECT count(*) FROM pg_locks WHERE relation = 'v2_locked.pack_stats'::regclass AND granted")" = 1 ] && break
    sleep 0.05
done
PGOPTIONS="-c dskv2.lock_timeout=100ms -c dskv2.lock_retries=20" \
    psql -qXAt -d "$DB" -c "CALL dskv2_migrate('public', 'v2_locked', 1000)" >"$LOGS/call.log" 2>&1 &
caller=$!
for _ in $(seq 1 1200); do grep -q "waits for a lock" "$LOGS/call.log" && break; sleep 0.05; done
q -c "INSERT INTO release_lock VALUES (true)" >/dev/null
wait $locker
wait $caller; rc=$?
grep -q "product_stats batch waits for a lock, retrying" "$LOGS/call.log"; ok $? "a batch blocked by an application lock backs off and says it is retrying"
ok $rc "... and completes once the lock is released"
finish
