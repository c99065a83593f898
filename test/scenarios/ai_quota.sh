#!/usr/bin/env bash
# AI quota under concurrency (docs/triggers.md, "AI metering"): 20 sessions released at once race for
# the last 3 units of a user's daily quota; exactly 3 succeed, the others get
# PT429, and the quota holds exactly, under READ COMMITTED and under
# REPEATABLE READ. Then 20 sessions replay one request id at once: one row,
# and every session gets its id. As the DBA, postgres (not a superuser).
source "$(dirname "$0")/tap.bash"
LOGS=$(mktemp -d)
plan 10
fresh_db dskv2_scen_quota S
q -c "SET client_min_messages = warning" -c "SELECT count(*) FROM dskv2_migrate_all()" >/dev/null
q -c "CREATE TABLE public.race_gate ()" \
  -c "INSERT INTO dropskills_v2.ai_tools (slug, name, daily_quota, input_price_per_1k) VALUES ('resume', 'Résumé', 10, 0.1), ('autre', 'Autre', 10, 0.1)"
USER_ID=$(q -c "SELECT id FROM dropskills_v2.users ORDER BY id LIMIT 1")

# race TOOL ISOLATION SQL: 20 sessions wait behind a locked gate, then run SQL
# at once; prints how many succeeded and how many failed with PT429.
race() {
    local tool=$1 isolation=$2 sql=$3 i fifo="$LOGS/gate"
    rm -f "$fifo"; mkfifo "$fifo"
    psql -qXAt -d "$DB" <"$fifo" >/dev/null 2>&1 &
    local gate=$!
    exec 7>"$fifo"
    echo "BEGIN; LOCK TABLE public.race_gate IN ACCESS EXCLUSIVE MODE; SELECT 1;" >&7
    until [ "$(q -c "SELECT count(*) FROM pg_locks WHERE relation = 'public.race_gate'::regclass AND granted")" = "1" ]; do sleep 0.05; done
    for i in $(seq 1 20); do
        psql -qXAt -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$DB" \
            -c "BEGIN ISOLATION LEVEL $isolation" -c "SELECT count(*) FROM public.race_gate" \
            -c "$sql" -c "COMMIT" >"$LOGS/$tool-$i.log" 2>&1 &
    done
    until [ "$(q -c "SELECT count(*) FROM pg_locks WHERE relation = 'public.race_gate'::regclass AND NOT granted")" = "20" ]; do sleep 0.05; done
    echo "COMMIT;" >&7
    exec 7>&-
    wait
    local passed=0 refused=0
    for i in $(seq 1 20); do
        if grep -q "PT429" "$LOGS/$tool-$i.log"; then refused=$((refused + 1));
        elif ! grep -q "ERROR" "$LOGS/$tool-$i.log"; then passed=$((passed + 1)); fi
    done
    echo "$passed $refused"
}

used_today() {
    q -c "SELECT count(*) FROM dropskills_v2.ai_usage u JOIN dropskills_v2.ai_tools t ON t.id = u.tool_id
          WHERE t.slug = '$1' AND u.user_id = '$USER_ID' AND u.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
}

for tool in resume autre; do
    q -c "SELECT count(*) FROM (SELECT dskv2_track_ai_usage('$tool', '$USER_ID', 1, 1) FROM generate_series(1, 7)) x" >/dev/null
done
is "$(used_today resume)" "7" "7 of the 10 daily units are used"

got=$(race resume "READ COMMITTED" "SELECT dskv2_track_ai_usage('resume', '$USER_ID', 100, 100)")
is "$got" "3 17" "READ COMMITTED: of 20 sessions released at once, exactly 3 pass and 17 get PT429"
is "$(used_today resume)" "10" "... and the quota holds exactly: 10 rows"

got=$(race autre "REPEATABLE READ" "SELECT dskv2_track_ai_usage('autre', '$USER_ID', 100, 100)")
is "$got" "3 17" "REPEATABLE READ: exactly 3 pass and 17 get PT429"
is "$(used_today autre)" "10" "... and the quota holds exactly: 10 rows"

# The same request id replayed by 20 sessions at once: one row, never an error.
q -c "UPDATE dropskills_v2.ai_tools SET daily_quota = NULL WHERE slug = 'resume'" >/dev/null
got=$(race replay "READ COMMITTED" "SELECT 'id=' || dskv2_track_ai_usage('resume', '$USER_ID', 5, 5, 'same-request')")
is "$got" "20 0" "20 sessions replaying one request id at once all succeed"
is "$(q -c "SELECT count(*) FROM dropskills_v2.ai_usage WHERE request_id = 'same-request'")" "1" "... and write one row"
ids=$(cat "$LOGS"/replay-*.log | grep -o 'id=[0-9]*' | sort -u | wc -l)
is "$ids" "1" "... whose id every session got back"
is "$(q -c "SELECT count(*) FROM dropskills_v2.admin_logs WHERE table_name = 'ai_usage'")" "0" \
   "metering writes no audit rows (ai_usage is not audited by default)"
# No memory kept across calls: in one session, 2,000 audited updates, metered
# requests and caught errors (each loop its own transaction) leave the
# backend's memory where it was.
# PostgreSQL 15 lets only superusers read pg_backend_memory_contexts (the view and the function
# behind it): supabase_admin lets the DBA.
qa -c "GRANT SELECT ON pg_catalog.pg_backend_memory_contexts TO $DBA" \
   -c "GRANT EXECUTE ON FUNCTION pg_catalog.pg_get_backend_memory_contexts() TO $DBA" >/dev/null
mem=$(q <<SQL
CREATE FUNCTION pg_temp.churn(n int) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
    FOR i IN 1..n LOOP
        UPDATE dropskills_v2.packs SET price = i WHERE id = (SELECT min(id::text)::uuid FROM dropskills_v2.packs);
        PERFORM dskv2_track_ai_usage('resume', NULL, 1, 1, 'churn-' || n || '-' || i);
        BEGIN
            PERFORM dskv2_track_ai_usage('inconnu', NULL, 1, 1);
        EXCEPTION WHEN undefined_object THEN NULL;
        END;
    END LOOP;
END \$\$;
SELECT pg_temp.churn(200);
SELECT sum(total_bytes) FROM pg_backend_memory_contexts;
SELECT pg_temp.churn(2000);
SELECT sum(total_bytes) FROM pg_backend_memory_contexts;
SQL
)
before=$(echo "$mem" | sed -n 2p); after=$(echo "$mem" | sed -n 4p)
[ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -le 16384 ]
ok $? "2,000 audited updates, metered requests and caught errors leave the backend's memory flat ($before -> $after bytes)"
rm -rf "$LOGS"
qa -d postgres -c "DROP DATABASE $DB" >/dev/null 2>&1
finish
