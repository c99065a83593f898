#!/usr/bin/env bash
# Crash and resume: a batched run stopped by an injected fault, then by a real
# pg_terminate_backend, loses at most one batch; the next CALL resumes and the
# end state equals a one-transaction run's. As the DBA, postgres (not a
# superuser), who may terminate its own sessions.
source "$(dirname "$0")/tap.bash"
plan 11
fresh_db dskv2_scen_resume S
q -c "SELECT count(*) FROM dskv2_migrate_all('public', 'v2_atomic')" >/dev/null 2>&1

# 1. Injected fault after 5 committed batches (the setting, not the clock).
out=$(PGOPTIONS="-c dskv2.fail_after_batches=5" psql -qXAt -d "$DB" -v VERBOSITY=verbose \
      -c "CALL dskv2_migrate('public', 'v2_resume', 50)" 2>&1)
echo "$out" | grep -q "injected fault after 5 batches"; ok $? "the injected fault stops the run"
is "$(q -c "SELECT sum(rows_done) FROM v2_resume.migration_state")" "250" "exactly the 5 committed batches are checkpointed"
is "$(q -c "SELECT count(*) FROM v2_resume.users")" \
   "$(q -c "SELECT sum((counters->>'rows_written')::int) FROM v2_resume.migration_state")" \
   "V2 rows match the checkpointed counters"
q -c "CALL dskv2_migrate('public', 'v2_resume', 50)" >/dev/null 2>&1
ok $? "a second CALL resumes and completes"
is "$(q -c "SELECT string_agg(status, ',' ORDER BY id) FROM v2_resume.migration_runs")" "interrupted,completed" \
   "the stopped run is recorded as interrupted"
is "$(digest v2_resume)" "$(digest v2_atomic)" "the resumed end state equals the atomic one"

# 2. A real pg_terminate_backend in the middle of a run.
PGAPPNAME=dskv2_victim PGOPTIONS="-c dskv2.batch_pause_ms=100" \
    psql -qXAt -d "$DB" -c "CALL dskv2_migrate('public', 'v2_killed', 40)" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 1 600); do
    done_rows=$(q -c "SELECT COALESCE(sum(rows_done), 0) FROM dskv2_progress_of('v2_killed')" 2>/dev/null || echo 0)
    [ "${done_rows:-0}" -ge 400 ] && break
    sleep 0.1
done
q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dskv2_victim'" >/dev/null
wait $victim
ok $(( $? == 0 )) "the terminated CALL did not finish"
is "$(q -c "SELECT count(*) FROM v2_killed.migration_runs WHERE status = 'completed'")" "0" "no run completed"
q -c "CALL dskv2_migrate('public', 'v2_killed', 40)" >/dev/null 2>&1
ok $? "a new session's CALL resumes after the kill"
is "$(digest v2_killed)" "$(digest v2_atomic)" "the end state after the kill equals the atomic one"
is "$(q -c "SELECT string_agg(status, ',' ORDER BY id) FROM v2_killed.migration_runs")" "interrupted,completed" \
   "the killed run is recorded as interrupted"
finish
