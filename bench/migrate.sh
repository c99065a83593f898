#!/usr/bin/env bash
# Benchmark: the migration and its verification on the L fixture (about a million legacy rows), one run of the
# script, printed as ratios against the floor measured in the same database:
# inserting the same final V2 rows into identically indexed empty tables, one
# INSERT ... SELECT per table. Also rows per second, and the backend's peak
# private memory of a batched run at M and at L (it must stay flat as data grows).
# The last release (bench/release.sh) does the same work on a copy of the same
# data in the same cluster, its rounds interleaved with this build's: this
# build's time over the release's, per figure.
# Each time is printed as wall-clock seconds and as the backend's CPU seconds, a
# figure the other tenants of a shared machine disturb much less. Autovacuum is
# off in the benchmark's cluster: the script analyzes the new tables itself.
#   DSKV2_BENCH_ROUNDS  rounds per measure (default 5; medians are printed)
# Run as root on Debian 12: bash bench/migrate.sh
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/release.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
mkdir -p build-bench && release_install
DSKV2_PGPORT=54334 cluster_start benchmig shared_buffers=2GB max_wal_size=8GB checkpoint_timeout=30min autovacuum=off
ROUNDS=${DSKV2_BENCH_ROUNDS:-5}
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
now() { date +%s.%N; }
calc() { awk "BEGIN {print $*}"; }
postmaster=$(head -1 "$DSKV2_PGDATA/postmaster.pid")
ticks_per_s=$(getconf CLK_TCK)
# The CPU time of the postmaster's reaped children: a finished session's backend
# (and its parallel workers) once it has exited.
children_ticks() { awk '{print $16 + $17}' "/proc/$postmaster/stat"; }
median() { tr ' ' '\n' | awk NF | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

load() {  # load DB SIZE: the legacy data, then a copy with this build (DB) and one with the release (DB_rel)
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1_base" -c "CREATE DATABASE $1_base" >/dev/null
    fixture_load "$1_base" "$2"  # the legacy tables are postgres's; the runs are supabase_admin's (PGUSER)
    psql -qX -d "$1_base" -c "VACUUM ANALYZE" >/dev/null
    copy_db "$1" "$1_base" dropskills_v2
    copy_db "$1_rel" "$1_base" "$RELEASE_EXT"
}
reset_target() { q "$1" "SET client_min_messages = warning; DROP SCHEMA IF EXISTS dropskills_v2 CASCADE; DROP SCHEMA IF EXISTS v2_floor CASCADE; CHECKPOINT" >/dev/null; }

# peak_call DB BATCH: runs CALL dskv2_migrate, echoes "seconds peak_kB peak_batches_kB cpu_seconds":
# the backend's peak private memory (RssAnon) over the whole run, and while
# legacy tables are being migrated (before the final index and foreign key build,
# which is bounded by maintenance_work_mem).
peak_call() {
    local start end pid="" peak=0 peak_batches=0 kb running ticks=0 t
    start=$(now)
    PGAPPNAME=dskv2_bench psql -qXAt -d "$1" -c "SET client_min_messages = warning" -c "CALL dskv2_migrate(batch_size => $2)" >/dev/null &
    local client=$!
    while [ -z "$pid" ] && kill -0 $client 2>/dev/null; do
        pid=$(q "$1" "SELECT pid FROM pg_stat_activity WHERE application_name = 'dskv2_bench' LIMIT 1" || true)
        sleep 0.05
    done
    while kill -0 $client 2>/dev/null; do
        kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        running=$(q "$1" "SELECT count(*) FROM dropskills_v2.migration_state WHERE status = 'running'" 2>/dev/null || echo 0)
        [ "${kb:-0}" -gt "$peak" ] && peak=$kb
        # The backend's own CPU time (the polling sessions are not counted),
        # sampled like its memory: the last 0.2 s may be missed.
        t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        [ "${t:-0}" -gt "$ticks" ] && ticks=$t
        [ "${running:-0}" -gt 0 ] && [ "${kb:-0}" -gt "$peak_batches" ] && peak_batches=$kb
        sleep 0.2
    done
    wait $client
    end=$(now)
    echo "$(calc "$end - $start") $peak $peak_batches $(calc "$ticks / $ticks_per_s")"
}

# The floor is a raw copy: no audit trigger (a migration suppresses them too).
floor_sql="SET client_min_messages = warning; SELECT dskv2_create_schema('v2_floor');
SELECT dskv2_audit_disable(format('v2_floor.%I', t)::regclass)
  FROM unnest(ARRAY['users', 'categories', 'packs', 'samples', 'tags', 'pack_tags', 'ai_tools']) t;
BEGIN;
INSERT INTO v2_floor.users SELECT * FROM dropskills_v2.users;
INSERT INTO v2_floor.categories SELECT * FROM dropskills_v2.categories;
INSERT INTO v2_floor.packs SELECT * FROM dropskills_v2.packs;
INSERT INTO v2_floor.samples SELECT * FROM dropskills_v2.samples;
INSERT INTO v2_floor.tags SELECT * FROM dropskills_v2.tags;
INSERT INTO v2_floor.pack_tags SELECT * FROM dropskills_v2.pack_tags;
INSERT INTO v2_floor.favorites SELECT * FROM dropskills_v2.favorites;
INSERT INTO v2_floor.pack_stats SELECT * FROM dropskills_v2.pack_stats;
INSERT INTO v2_floor.trending_ideas SELECT * FROM dropskills_v2.trending_ideas;
INSERT INTO v2_floor.admin_logs SELECT * FROM dropskills_v2.admin_logs;
INSERT INTO v2_floor.migration_rejects SELECT * FROM dropskills_v2.migration_rejects;
COMMIT;"

header="machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB
date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}'); rounds: $ROUNDS
this build: $(sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1) ($(git rev-parse --short HEAD)); release: $RELEASE_VERSION ($(echo "$RELEASE_COMMIT" | cut -c1-7)), side by side"
echo "$header"

log "loading the M and L fixtures"
load dskv2_bench_m M
load dskv2_bench_l L
legacy_rows_sql="SELECT (SELECT count(*) FROM auth.users) + (SELECT count(*) FROM public.profiles p WHERE NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id))
    + (SELECT count(*) FROM public.categories) + (SELECT count(*) FROM public.products) + (SELECT count(*) FROM public.samples)
    + (SELECT count(*) FROM public.tags) + (SELECT count(*) FROM public.favorites) + (SELECT count(*) FROM public.product_stats)
    + (SELECT count(*) FROM public.trending_ideas) + (SELECT count(*) FROM public.admin_logs)"
legacy_rows=$(q dskv2_bench_l "$legacy_rows_sql")
legacy_rows_m=$(q dskv2_bench_m "$legacy_rows_sql")

declare -A atomic batched floor verify failing atomic_cpu batched_cpu floor_cpu verify_cpu
# timed NAME SUFFIX COMMAND...: runs COMMAND (one psql session, nothing else
# connected meanwhile), adds its wall-clock seconds to NAME[SUFFIX] and its
# backend's CPU seconds to NAME_cpu[SUFFIX].
timed() {
    local name=$1 v=$2 t0 t1 c0 c1; shift 2
    sleep 0.2; c0=$(children_ticks); t0=$(now)
    "$@"
    t1=$(now); sleep 0.2; c1=$(children_ticks)
    local -n _wall=$name _cpu=${name}_cpu
    _wall[$v]+=" $(calc "$t1 - $t0")"
    _cpu[$v]+=" $(calc "($c1 - $c0) / $ticks_per_s")"
}
# Each round runs every measure in both databases (cur: this build, rel: the
# release), alternating which goes first; the verification, a read-only
# statement, runs twice per round in the order A B B A, once both targets exist.
migrate_atomic() {  # migrate_atomic DB SUFFIX
    local t0 t1
    reset_target "$1"
    timed atomic "$2" q "$1" "SET client_min_messages = warning; SELECT count(*) FROM dskv2_migrate_all()" >/dev/null
    # The verification's plans depend on the new tables' statistics: both get
    # them the same way (not timed), instead of whenever autovacuum comes by.
    q "$1" "ANALYZE" >/dev/null
    q "$1" "CHECKPOINT" >/dev/null
}
verify_once() {  # verify_once DB SUFFIX
    timed verify "$2" q "$1" "SELECT count(*) FILTER (WHERE NOT ok) FROM dskv2_verify_integrity()" >"$DSKV2_RUN_DIR/verify-$2.out"
    failing[$2]=$(cat "$DSKV2_RUN_DIR/verify-$2.out")
}
floor_once() {  # floor_once DB SUFFIX
    timed floor "$2" psql -qX -v ON_ERROR_STOP=1 -d "$1" -c "$floor_sql" >/dev/null
}
batched_once() {  # batched_once DB SUFFIX
    local secs peak peak_batches cpu
    reset_target "$1"
    read -r secs peak peak_batches cpu <<<"$(peak_call "$1" 10000)"
    batched[$2]+=" $secs"
    batched_cpu[$2]+=" $cpu"
    if [ "$2" = cur ]; then peak_l=$peak; peak_batches_l=$peak_batches; fi
    return 0
}
db_of() { if [ "$1" = cur ]; then echo dskv2_bench_l; else echo dskv2_bench_l_rel; fi; }
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    if [ $((round % 2)) -eq 1 ]; then order="cur rel"; back="rel cur"; else order="rel cur"; back="cur rel"; fi
    for v in $order; do migrate_atomic "$(db_of $v)" $v; done
    for v in $order $back; do verify_once "$(db_of $v)" $v; done
    for v in $order; do floor_once "$(db_of $v)" $v; done
    for v in $order; do batched_once "$(db_of $v)" $v; done
done
reset_target dskv2_bench_m
read -r secs_m peak_m peak_batches_m cpu_m <<<"$(peak_call dskv2_bench_m 10000)"

a=$(echo "${atomic[cur]}" | median); b=$(echo "${batched[cur]}" | median); f=$(echo "${floor[cur]}" | median)
v=$(echo "${verify[cur]}" | median)
ra=$(echo "${atomic[rel]}" | median); rb=$(echo "${batched[rel]}" | median); rf=$(echo "${floor[rel]}" | median)
rv=$(echo "${verify[rel]}" | median)
declare -A cpu_med
for name in atomic batched floor verify; do
    for side in cur rel; do
        declare -n _list=${name}_cpu
        cpu_med[$name,$side]=$(echo "${_list[$side]}" | median)
        unset -n _list
    done
done
cpu_ratio() { calc "${cpu_med[$1,cur]} / ${cpu_med[$1,rel]}"; }
echo
# The figures, also written to bench/results/migrate.txt (the README quotes them).
{
echo "$header"
echo "legacy rows (L): $legacy_rows"
printf 'median seconds: dskv2_migrate_all %.2f | CALL dskv2_migrate (batch 10000) %.2f | floor %.2f\n' "$a" "$b" "$f"
printf 'ratio to the floor: dskv2_migrate_all %.2fx (target <= 1.5x) | CALL dskv2_migrate %.2fx\n' \
    "$(calc "$a / $f")" "$(calc "$b / $f")"
printf 'dskv2_verify_integrity %.2f s = %.2fx dskv2_migrate_all (target <= 0.5x); failing checks after the migration: %s (release: %s)\n' \
    "$v" "$(calc "$v / $a")" "${failing[cur]}" "${failing[rel]}"
printf 'rows per second: dskv2_migrate_all %.0f | CALL dskv2_migrate %.0f\n' \
    "$(calc "$legacy_rows / $a")" "$(calc "$legacy_rows / $b")"
printf 'batched run, backend peak private memory (RssAnon) while migrating tables: M %d kB | L %d kB | L/M %.2fx for %.1fx the rows\n' \
    "$peak_batches_m" "$peak_batches_l" "$(calc "$peak_batches_l / $peak_batches_m")" "$(calc "$legacy_rows / $legacy_rows_m")"
printf 'batched run, peak including the final index and foreign key build (maintenance_work_mem %s): M %d kB | L %d kB\n' \
    "$(q dskv2_bench_l "SHOW maintenance_work_mem")" "$peak_m" "$peak_l"
printf 'release %s, same rounds (median seconds): dskv2_migrate_all %.2f | CALL dskv2_migrate %.2f | floor %.2f | verify %.2f\n' \
    "$RELEASE_VERSION" "$ra" "$rb" "$rf" "$rv"
printf 'this build / release %s (target <= 1.10x): dskv2_migrate_all %.2fx | CALL dskv2_migrate %.2fx | dskv2_verify_integrity %.2fx | floor %.2fx\n' \
    "$RELEASE_VERSION" "$(calc "$a / $ra")" "$(calc "$b / $rb")" "$(calc "$v / $rv")" "$(calc "$f / $rf")"
printf 'backend CPU seconds (median), this build: dskv2_migrate_all %.2f | CALL dskv2_migrate %.2f | floor %.2f | verify %.2f; release: %.2f | %.2f | %.2f | %.2f\n' \
    "${cpu_med[atomic,cur]}" "${cpu_med[batched,cur]}" "${cpu_med[floor,cur]}" "${cpu_med[verify,cur]}" \
    "${cpu_med[atomic,rel]}" "${cpu_med[batched,rel]}" "${cpu_med[floor,rel]}" "${cpu_med[verify,rel]}"
printf 'this build / release %s, backend CPU (less disturbed by other tenants; target <= 1.10x): dskv2_migrate_all %.2fx | CALL dskv2_migrate %.2fx | dskv2_verify_integrity %.2fx | floor %.2fx\n' \
    "$RELEASE_VERSION" "$(cpu_ratio atomic)" "$(cpu_ratio batched)" "$(cpu_ratio verify)" "$(cpu_ratio floor)"
} | tee bench/results/migrate.txt
