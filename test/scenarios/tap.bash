# TAP helpers for the scenario tests: shell scripts that need top-level
# statements (CALL with commits, kills, concurrent sessions), run by `prove`.
# PGHOST/PGPORT/PGUSER point at the test cluster (scripts/test.sh sets them).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

# fresh_db NAME [SIZE]: a new database with the Supabase emulation, the legacy
# schema, generated data and the extension.
fresh_db() {
    DB=$1
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
    psql -qX -v ON_ERROR_STOP=1 -d "$DB" -f "$ROOT/fixtures/supabase.sql" -f "$ROOT/fixtures/legacy_schema.sql" \
        -f "$ROOT/fixtures/generate.sql" -c "SELECT count(*) FROM dskv2_fixture.generate('${2:-S}')" \
        -c "CREATE EXTENSION dropskills_v2" >/dev/null 2>&1
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
