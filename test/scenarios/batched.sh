#!/usr/bin/env bash
# CALL dskv2_migrate: batched end state equals the one-transaction run; its
# refusals (2D000 in a transaction block, 22023 for a bad batch_size) write nothing.
source "$(dirname "$0")/tap.bash"
plan 8
fresh_db dskv2_scen_batched S

q -c "SELECT count(*) FROM dskv2_migrate_all('public', 'v2_atomic')" >/dev/null 2>&1
ok $? "dskv2_migrate_all into v2_atomic"
q -c "CALL dskv2_migrate('public', 'v2_batched', 97)" >/dev/null 2>&1
ok $? "CALL dskv2_migrate into v2_batched with batch_size 97"
is "$(digest v2_batched)" "$(digest v2_atomic)" "batched end state equals the atomic one (same slugs, ids, rejects, merges)"
is "$(q -c "SELECT mode || ':' || status FROM v2_batched.migration_runs")" "batched:completed" "the run is recorded as completed"
is "$(q -c "SELECT count(*) FROM v2_batched.migration_queue")" "0" "the queue is empty after a completed run"

out=$(psql -qXAt -d "$DB" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "BEGIN" -c "CALL dskv2_migrate('public', 'v2_in_tx', 100)" 2>&1)
echo "$out" | grep -q "2D000" ; ok $? "CALL inside a transaction block raises 2D000"
is "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'v2_in_tx'")" "0" "... and writes nothing"
out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "CALL dskv2_migrate('public', 'v2_bad', 0)" 2>&1)
echo "$out" | grep -q "22023"; ok $? "batch_size 0 raises 22023"
finish
