#!/usr/bin/env bash
# Runs every test of dropskills_v2 on a Debian 12 machine (as root: installs what
# it needs). Layers: version check, GoogleTest (plain and under ASan/UBSan),
# libFuzzer harnesses (bounded), pg_regress (make installcheck) and pgTAP
# (pg_prove), the upgrade from the last release (make upgradecheck) and the
# mutation check (make mutationcheck) against real, throwaway PostgreSQL 15
# clusters; then pg_regress, pgTAP and the scenarios once more on a cluster
# whose postgresql.conf sets the pinned settings to hostile values.
# Ends with one line: "N passed, N failed".
#   DSKV2_FUZZ_SECONDS  seconds per fuzzer (default 60)
#   DSKV2_HOSTILE=0     skips the hostile pass
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$DSKV2_ROOT"

PASSED=0
FAILED=0
FAILURES=()
count() {  # count PASSED_N FAILED_N LABEL
    PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2))
    [ "$2" -gt 0 ] && FAILURES+=("$3: $2 failed")
    printf -- '--- %s: %d passed, %d failed\n' "$3" "$1" "$2"
}
# check LABEL CMD...: one test that passes when CMD exits 0.
check() {
    local label=$1; shift
    if "$@"; then count 1 0 "$label"; else count 0 1 "$label"; fi
}
# tap_count LABEL OUTPUT: counts a TAP harness run (pg_prove, prove) from its summary.
tap_count() {
    local label=$1 out=$2 tests bad
    echo "$out" | tail -25
    tests=$(echo "$out" | sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p')
    bad=$(echo "$out" | sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' | awk '{s+=$1} END {print s+0}')
    if [ -z "$tests" ] || ! echo "$out" | grep -q '^Result: PASS'; then
        [ "$bad" -eq 0 ] && bad=1
    fi
    count $(( ${tests:-0} - bad < 0 ? 0 : ${tests:-0} - bad )) "$bad" "$label"
}
summary() {
    cluster_stop
    echo
    [ ${#FAILURES[@]} -gt 0 ] && printf 'failed: %s\n' "${FAILURES[@]}"
    echo "$PASSED passed, $FAILED failed"
}
trap summary EXIT

install_deps || { FAILED=$((FAILED + 1)); FAILURES+=("install_deps"); exit 1; }
NPROC=$(nproc)

log "version: META.json, control file, install script"
check "version" make -s check-version
log "format: make check-format (clang-format)"
check "format" make -s check-format
log "lint: docs references, no contract outside the repository (scripts/lint.sh)"
tap_count "lint" "$(prove scripts/lint.sh 2>&1)"

# ctest_layer LABEL BUILD_DIR CMAKE_ARGS...: build the core's unit tests and run them.
ctest_layer() {
    local label=$1 dir=$2; shift 2
    log "$label"
    if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null \
           && cmake --build "$dir" -j"$NPROC" >/dev/null; }; then
        cmake --build "$dir" 2>&1 | tail -30
        count 0 1 "$label (build)"; return
    fi
    local out total failed
    out=$(cd "$dir" && ctest --output-on-failure -j"$NPROC" 2>&1); echo "$out" | tail -15
    total=$(echo "$out" | sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\2/p')
    failed=$(echo "$out" | sed -n 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\).*/\1/p')
    if [ -z "$total" ]; then count 0 1 "$label (no ctest summary)"; return; fi
    count $((total - failed)) "$failed" "$label"
}
ctest_layer "GoogleTest (core)" build-unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest_layer "GoogleTest under ASan/UBSan" build-asan -DDSKV2_SANITIZE=ON

log "libFuzzer harnesses (${DSKV2_FUZZ_SECONDS:-60}s each)"
if CXX=clang++ cmake -S . -B build-fuzz -DDSKV2_FUZZ=ON -DDSKV2_TESTS=OFF >/dev/null \
   && cmake --build build-fuzz -j"$NPROC" >/dev/null; then
    for fuzzer in build-fuzz/*_fuzz; do
        [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue  # not the corpus-*_fuzz directories of a former run
        name=$(basename "$fuzzer")
        corpus=build-fuzz/corpus-$name; mkdir -p "$corpus"
        seeds=fuzz/seeds/${name%_fuzz}; [ -d "$seeds" ] || seeds=
        if "$fuzzer" -max_total_time="${DSKV2_FUZZ_SECONDS:-60}" -print_final_stats=1 \
            -artifact_prefix=build-fuzz/ "$corpus" $seeds >"build-fuzz/$name.log" 2>&1; then
            grep -E '^stat::number_of_executed_units' "build-fuzz/$name.log" || true
            count 1 0 "fuzz $name"
        else
            tail -40 "build-fuzz/$name.log"
            count 0 1 "fuzz $name"
        fi
    done
else
    count 0 1 "fuzzers (build)"
fi

log "extension: make && make install"
if ! build_extension; then count 0 1 "extension build"; exit 1; fi
count 1 0 "extension build"

cluster_start test fsync=off synchronous_commit=off full_page_writes=off
started=$?
trap summary EXIT  # cluster_start set its own stop trap; summary stops the cluster too
[ "$started" -eq 0 ] || { count 0 1 "cluster start"; exit 1; }

# sql_layers PREFIX [pg_regress option]: pg_regress, pgTAP and the scenarios on the running
# cluster, their counts labelled "PREFIXpg_regress", "PREFIXpgTAP", "PREFIXscenarios".
sql_layers() {
    local prefix=$1 regress_opts=${2:-} out ok bad
    log "${prefix}pg_regress: make installcheck"
    out=$(make -s installcheck EXTRA_REGRESS_OPTS="$regress_opts" 2>&1); echo "$out" | tail -25
    ok=$(echo "$out" | grep -cE '\.\.\. ok|^ok [0-9]+ ')
    bad=$(echo "$out" | grep -cE '\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ ')
    [ -f regression.diffs ] && [ "$bad" -gt 0 ] && head -100 regression.diffs
    [ $((ok + bad)) -eq 0 ] && bad=1
    count "$ok" "$bad" "${prefix}pg_regress"

    log "${prefix}pgTAP: pg_prove test/ test/attacks/"
    psql -qX -c "CREATE DATABASE dskv2_tap" >/dev/null && psql -qX -d dskv2_tap -c "CREATE EXTENSION pgtap" >/dev/null
    tap_count "${prefix}pgTAP" "$(PGDATABASE=dskv2_tap pg_prove --ext .sql test/ test/attacks/ 2>&1)"

    log "${prefix}scenarios: prove test/scenarios/ test/attacks/ (top-level CALLs, kills, concurrent sessions, attacks)"
    tap_count "${prefix}scenarios" "$(prove test/scenarios/*.sh test/attacks/*.sh 2>&1)"
}
sql_layers ""

log "upgrade: make upgradecheck (the last release, live, upgraded to this build)"
tap_count "upgrade" "$(make -s upgradecheck 2>&1)"

log "mutations: make mutationcheck (every deliberate bug caught by its tests)"
tap_count "mutations" "$(make -s mutationcheck 2>&1)"

log "clients: Prisma and node-postgres against a migrated database (clients/run.sh)"
# As on Supabase: supabase_admin creates the extension, postgres (not a superuser) migrates, and
# the clients connect as postgres (PostgREST's SET LOCAL ROLE works: it is a member of the API roles).
psql -qX -c "CREATE DATABASE dskv2_clients" >/dev/null
if fixture_load dskv2_clients S && psql -qX -v ON_ERROR_STOP=1 -d dskv2_clients -c "CREATE EXTENSION dropskills_v2" >/dev/null \
   && psql -qX -v ON_ERROR_STOP=1 -U postgres -d dskv2_clients -c "SET client_min_messages = warning" \
        -c "SELECT count(*) FROM dskv2_migrate_all()" >/dev/null; then
    tap_count "clients" "$(PGUSER=postgres PGDATABASE=dskv2_clients prove clients/run.sh 2>&1)"
else
    count 0 1 "clients (database set-up)"
fi

# The hostile pass (CONTRIBUTING.md, "The hostile pass"): the SQL layers again on a cluster whose
# postgresql.conf sets every pinned setting to a hostile value (DSKV2_HOSTILE_SETTINGS, lib.sh).
# pg_regress gives its psql sessions PGTZ and PGDATESTYLE: the launcher drops them, so that the
# server's values reach the sessions and the extension. DSKV2_HOSTILE=0 skips the pass.
if [ "${DSKV2_HOSTILE:-1}" != 0 ]; then
    cluster_stop
    DSKV2_RUN_DIR=$DSKV2_RUN_DIR-hostile DSKV2_PGPORT=$((PGPORT + 1)) \
        cluster_start test-hostile fsync=off synchronous_commit=off full_page_writes=off "${DSKV2_HOSTILE_SETTINGS[@]}"
    started=$?
    trap summary EXIT
    if [ "$started" -eq 0 ]; then
        # Every hostile setting is in force, from the configuration file.
        names=$(printf '%s\n' "${DSKV2_HOSTILE_SETTINGS[@]}" | sed 's/ *=.*//' | paste -sd, -)
        check "hostile: settings in force" test "$(psql -qXAt -c "SELECT count(*) FROM pg_settings
            WHERE name = ANY (string_to_array('$names', ',')) AND source = 'configuration file'")" -eq ${#DSKV2_HOSTILE_SETTINGS[@]}
        sql_layers "hostile: " "--launcher='env -u PGTZ -u PGDATESTYLE'"
    else
        count 0 1 "hostile: cluster start"
    fi
fi

[ "$FAILED" -eq 0 ]
