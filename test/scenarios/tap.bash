# TAP helpers for the scenario tests: shell scripts that need top-level
# statements (CALL with commits, kills, concurrent sessions), run by `prove`.
# PGHOST/PGPORT/PGUSER point at the test cluster (scripts/test.sh sets them;
# PGUSER is its bootstrap superuser, supabase_admin, as on Supabase).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/scripts/lib.sh"  # fixture_load
TAP_N=0
TAP_FAILED=0
plan() { echo "1..$1"; }
ok() {  # ok CONDITION_EXIT_CODE DESCRIPTION
    TAP_N=$((TAP_N + 1))
    if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"; else echo "not ok $TAP_N - $2"; TAP_FAILED=$((TAP_FAILED + 1)); fi
}
is() {  # is GOT EXPECTED DESCRIPTION
    TAP_N=$((TAP_N + 1))
    if [ "$1" == "$2" ]; then echo "ok $TAP_N - $3"; else
        echo "not ok $TAP_N - $3"; TAP_FAILED=$((TAP_FAILED + 1))
        # Multi-line values stay comments: a line starting with "ok" would be read as a test.
        printf '%s\n' "got:      '$1'" "expected: '$2'" | sed 's/^/#   /'; fi
}
# The roles of a Supabase database (fixtures/supabase.sql): the superuser that
# sets the database up and creates extensions, and the DBA, who is not one.
ADMIN=supabase_admin
DBA=postgres
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
qa() { psql -qXAt -v ON_ERROR_STOP=1 -U "$ADMIN" -d "$DB" "$@"; }  # q as supabase_admin

# fresh_db NAME [SIZE]: a new database set up as on Supabase (scripts/lib.sh
# fixture_load): the emulation, the generated data and the extension by
# supabase_admin, the legacy schema by postgres (its owner). Then
# exports PGUSER=postgres: the scenario goes on as the DBA, who is not a
# superuser; what needs supabase_admin on Supabase uses qa or -U "$ADMIN".
fresh_db() {
    DB=$1
    psql -qX -U "$ADMIN" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null 2>&1
    fixture_load "$DB" "${2:-S}" >/dev/null 2>&1 && qa -c "CREATE EXTENSION dropskills_v2" >/dev/null 2>&1
    local rc=$?
    export PGUSER=$DBA
    return $rc
}

# digest SCHEMA: one md5 per V2 table of its rows (run ids excluded), to
# compare two targets. admin_logs: the rows from legacy and the triggers (the
# `migration` rows describe each run: their ids, txids and counters differ
# between an atomic and a batched run by design).
digest() {
    local schema=$1 t out="" where
    for t in users categories packs samples tags pack_tags favorites pack_stats trending_ideas admin_logs migration_rejects migration_merges; do
        where="true"; [ "$t" = admin_logs ] && where="x.source <> 'migration'"
        out="$out $t=$(q -c "SELECT md5(coalesce(string_agg(j, E'\n' ORDER BY j), '')) FROM (SELECT (to_jsonb(x) - 'migration_run_id' - 'run_id' - 'created_at')::text AS j FROM \"$schema\".$t x WHERE $where) z")"
    done
    echo "$out"
}
finish() { [ "$TAP_FAILED" -eq 0 ]; }
