#!/usr/bin/env bash
# make mutationcheck (TAP): every patch of test/mutations/ is a deliberate bug;
# each must be caught by the tests listed beside it (CONTRIBUTING.md,
# "Mutation testing").
#
#   NN-name.patch  the bug, as a diff against the tree (patch -p1)
#   NN-name.tests  the tests that must catch it, one per line:
#                    unit <gtest filter> | regress <test> | tap <test/file.sql> |
#                    scenario <test/scenarios/file.sh>
#
# The tree is copied once to a scratch directory and built there (the
# extension and the GoogleTest binary), and that state is kept as a snapshot.
# For each patch: the scratch copy is put back to the snapshot (built objects
# included, so only the patched files are compiled again), the patch is
# applied, what it touches is built and installed into a private PostgreSQL
# (scripts/lib.sh pg_private_prefix) that a throwaway cluster runs, and its
# tests run. A patch whose tests all pass survived: the check fails.
#
# Environment: DSKV2_MUTATION_PORT (default 54332), DSKV2_MUTATIONS (a
# space-separated list of patch names to run, default all).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
source "$HERE/../scenarios/tap.bash"
cd "$DSKV2_ROOT"

WORK=$DSKV2_ROOT/build-mutation
SCRATCH=$WORK/tree
SNAPSHOT=$WORK/snapshot
LOGS=$WORK/logs
patches=()
for p in test/mutations/*.patch; do
    name=$(basename "$p" .patch)
    if [ -n "${DSKV2_MUTATIONS:-}" ] && ! [[ " $DSKV2_MUTATIONS " == *" $name "* ]]; then continue; fi
    patches+=("$name")
done
plan $((${#patches[@]} + 1))

rm -rf "$WORK"
mkdir -p "$SCRATCH" "$LOGS"
sync_tree() {  # sync_tree FROM TO: a copy of FROM, times kept (what did not change is not built again)
    rsync -a --delete --exclude=/.git --exclude='/build*' --exclude=/.run --exclude=/results \
          --exclude='regression.*' --exclude=node_modules "$1/" "$2/"
}
sync_tree "$DSKV2_ROOT" "$SCRATCH"
BIN=$(pg_private_prefix "$WORK/pg") || { echo "Bail out! cannot copy PostgreSQL" >&2; exit 2; }
export PATH=$BIN:$PATH
build() {  # the extension, installed into the private PostgreSQL, and the unit tests when asked
    make -C "$SCRATCH" -s -j"$(nproc)" >>"$LOGS/build.log" 2>&1 && make -C "$SCRATCH" -s install >>"$LOGS/build.log" 2>&1 \
        && { [ "${1:-}" != unit ] || cmake --build "$SCRATCH/build-unit" -j"$(nproc)" >>"$LOGS/build.log" 2>&1; }
}
cmake -S "$SCRATCH" -B "$SCRATCH/build-unit" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$LOGS/cmake.log" 2>&1
if ! build unit; then tail -30 "$LOGS/build.log"; echo "Bail out! the unmutated tree does not build" >&2; exit 2; fi
rsync -a --delete "$SCRATCH/" "$SNAPSHOT/"
DSKV2_PGPORT=${DSKV2_MUTATION_PORT:-54332} DSKV2_RUN_DIR=$WORK/cluster \
    cluster_start mutation fsync=off synchronous_commit=off full_page_writes=off >/dev/null
trap cluster_stop EXIT
psql -qX -d postgres -c "CREATE DATABASE dskv2_tap" -c "ALTER DATABASE dskv2_tap SET client_min_messages = warning" >/dev/null
psql -qX -d dskv2_tap -c "CREATE EXTENSION pgtap" >/dev/null

# run_test KIND ARG: 0 when the test passes on the scratch tree as built.
run_test() {
    case $1 in
        unit) "$SCRATCH/build-unit/dskv2_unit_tests" --gtest_filter="$2" ;;
        regress) make -C "$SCRATCH" -s installcheck REGRESS="$2" REGRESS_OPTS="--inputdir=$SCRATCH --outputdir=$WORK/regress" ;;
        tap) (cd "$SCRATCH" && PGDATABASE=dskv2_tap pg_prove "$2") ;;
        scenario) (cd "$SCRATCH" && prove "$2") ;;
        *) echo "unknown test kind $1"; return 2 ;;
    esac
}

# The tests must pass on the unmutated tree, or a kill means nothing.
baseline_failed=""
while read -r kind arg; do
    [ -n "$kind" ] || continue
    run_test "$kind" "$arg" >"$LOGS/baseline-$kind-$(basename "$arg" | tr -c 'A-Za-z0-9_.-' _).log" 2>&1 \
        || baseline_failed="$baseline_failed $kind:$arg"
done < <(cat test/mutations/*.tests | sort -u)
is "$baseline_failed" "" "every test a patch names passes on the unmutated tree"

for name in "${patches[@]}"; do
    rsync -a --delete "$SNAPSHOT/" "$SCRATCH/"
    log=$LOGS/$name.log
    if ! patch -d "$SCRATCH" -p1 --quiet --no-backup-if-mismatch <"test/mutations/$name.patch" >"$log" 2>&1; then
        ok 1 "$name: applies to the tree"; sed 's/^/# /' "$log" | head -5; continue
    fi
    needs=""; grep -q '^unit ' "test/mutations/$name.tests" && needs=unit
    if ! build $needs; then
        ok 1 "$name: builds"; tail -5 "$LOGS/build.log" | sed 's/^/# /'; continue
    fi
    killer=""
    while read -r kind arg; do
        [ -n "$kind" ] || continue
        if ! run_test "$kind" "$arg" >>"$log" 2>&1; then killer="$kind $arg"; break; fi
    done <"test/mutations/$name.tests"
    [ -n "$killer" ]
    ok $? "$name: caught by ${killer:-nothing (it survived)}"
done
# The private PostgreSQL gets the unmutated build back (nothing else uses it).
rsync -a --delete "$SNAPSHOT/" "$SCRATCH/"
finish
