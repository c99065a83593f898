#!/usr/bin/env bash
# Benchmark: the cost of live sync (docs/switch.md, "Live sync") to the legacy application. The
# application's write workload (fixtures/legacy_app.pgbench, run as the role
# legacy_app) on the M fixture migrated to V2, without live sync
# (dskv2_sync_disable) and with it (dskv2_sync_enable: every legacy write is
# applied to V2 in the same transaction). Per configuration: throughput (tps),
# mean and 95th percentile transaction latency, taken from pgbench's
# per-transaction log; then the with/without ratios. Medians of rounds in which
# the two configurations' pgbench runs are interleaved (off, on in odd rounds,
# on, off in even ones), after one unmeasured warm-up run of each. Besides,
# the backends' CPU time per transaction (read from the postmaster's
# reaped-children times, as bench/triggers.sh does): a figure the other tenants
# of a shared machine disturb much less than wall-clock throughput and latency.
# Before every run, measured or not, the same treatment for both configurations:
# the toggle (enabling also catches up on what changed while sync was off; that
# is outside the measured window), VACUUM ANALYZE of the tables the workload
# and the sync write, then CHECKPOINT. The last release (bench/release.sh)
# runs in the same rounds, on a copy of the same data (configurations off_rel
# and on_rel): this build's figures with sync over the release's.
#   DSKV2_BENCH_ROUNDS       rounds (default 7: the machines are noisy)
#   DSKV2_BENCH_SECONDS      seconds of pgbench per configuration and round (default 12)
#   DSKV2_BENCH_WARMUP       seconds of the unmeasured warm-up run of each configuration (default 3; 0: none)
#   DSKV2_BENCH_CLIENTS      pgbench clients and threads (default 2)
#   DSKV2_BENCH_SYNC_COMMIT  synchronous_commit of the cluster (default off: the
#                            sync's own cost, not the disk's flush latency)
# Run as root on Debian 12: bash bench/sync.sh (writes bench/results/sync.txt)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/release.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
mkdir -p build-bench && release_install
ROUNDS=${DSKV2_BENCH_ROUNDS:-7}
RUN_SECS=${DSKV2_BENCH_SECONDS:-12}
WARMUP_SECS=${DSKV2_BENCH_WARMUP:-3}
CLIENTS=${DSKV2_BENCH_CLIENTS:-2}
SYNC_COMMIT=${DSKV2_BENCH_SYNC_COMMIT:-off}
DSKV2_PGPORT=54333 cluster_start benchsync shared_buffers=1GB jit=off max_wal_size=8GB checkpoint_timeout=30min \
    "synchronous_commit=$SYNC_COMMIT"
DB=dskv2_bench
PGBENCH=$(pg_bindir)/pgbench
WORKLOAD=fixtures/legacy_app.pgbench
RESULTS=bench/results/sync.txt
REPORT=$DSKV2_RUN_DIR/sync.txt
LOGS=$DSKV2_RUN_DIR/pgbench-logs
: >"$REPORT"
mkdir -p "$LOGS"
report() { tee -a "$REPORT"; }  # the lines that go into $RESULTS
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "${QDB:-$DB}" -c "$1"; }  # QDB: another database than $DB
calc() { awk "BEGIN {print $*}"; }
median() { tr ' ' '\n' | awk NF | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
start_time=$(date +%s)

{
    echo "machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
        "$(awk '/^MemTotal:/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}'); rounds: $ROUNDS;" \
        "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "this build: $(sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1) ($(git rev-parse --short HEAD));" \
        "release: $RELEASE_VERSION ($(echo "$RELEASE_COMMIT" | cut -c1-7)) as off_rel / on_rel, side by side"
} | report

log "loading the M fixture, migrating it with this build and with the release, setting up the legacy application"
psql -qX -d postgres -c "CREATE DATABASE ${DB}_base" >/dev/null
fixture_load "${DB}_base" M  # the legacy tables are postgres's; the runs are supabase_admin's (PGUSER)
copy_db "$DB" "${DB}_base" dropskills_v2
copy_db "${DB}_rel" "${DB}_base" "$RELEASE_EXT"
for db in "$DB" "${DB}_rel"; do
    psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "SELECT count(*) FROM dskv2_migrate_all()" >/dev/null
    if [ "$(QDB=$db q "SELECT to_regprocedure('dskv2_sync_enable(name, name)') IS NOT NULL
                   AND to_regprocedure('dskv2_sync_disable(name, name)') IS NOT NULL")" != t ]; then
        echo "$db: the installed extension lacks dskv2_sync_enable or dskv2_sync_disable" >&2
        exit 1
    fi
    psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -f fixtures/legacy_app_setup.sql >/dev/null
    QDB=$db q "VACUUM ANALYZE" >/dev/null
done
nusers=$(q "SELECT count(*) FROM legacy_app.users")
nproducts=$(q "SELECT count(*) FROM legacy_app.products")
# The tables the workload writes (legacy) and those the sync writes into (V2):
# vacuumed before every run, whichever the configuration.
# Per database: the release's V2 schema lacks the tables of later shape steps.
vacuum_tables_of() {
    echo -n "auth.users, public.profiles, public.products, public.favorites, public.product_stats"
    QDB=$1 q "SELECT string_agg(', ' || format('%I.%I', schemaname, relname), '' ORDER BY relname)
               FROM pg_stat_user_tables WHERE schemaname = 'dropskills_v2'"
}
declare -A vacuum_tables=([$DB]="$(vacuum_tables_of "$DB")" [${DB}_rel]="$(vacuum_tables_of "${DB}_rel")")
{
    echo "data: M fixture migrated to V2: $(q "SELECT count(*) FROM auth.users") auth users," \
        "$(q "SELECT count(*) FROM public.products") products, $(q "SELECT count(*) FROM public.favorites") favorites;" \
        "the workload picks among $nusers users and $nproducts products"
    echo "pgbench: $WORKLOAD as legacy_app, -c $CLIENTS -j $CLIENTS, ${RUN_SECS} s per configuration and round" \
        "(warm-up: ${WARMUP_SECS} s each, unmeasured); synchronous_commit=$SYNC_COMMIT, shared_buffers=1GB, jit=off"
    echo "before every run: the toggle (sync_enable's catch-up not timed), VACUUM ANALYZE, CHECKPOINT"
    echo "latency: per transaction (BEGIN .. COMMIT), from pgbench's transaction log; p95 = the ceil(0.95 N)-th smallest"
} | report

# sync_config off|on[_rel]: live sync turned off or on (in the release's
# database for *_rel), and checked.
sync_config() {
    local triggers QDB=$DB
    case $1 in *_rel) QDB=${DB}_rel ;; esac
    if [ "${1%_rel}" = on ]; then
        q "SET client_min_messages = warning; SELECT dskv2_sync_enable()" >/dev/null
    else
        q "SET client_min_messages = warning; SELECT dskv2_sync_disable()" >/dev/null
    fi
    triggers=$(q "SELECT count(*) FROM pg_trigger WHERE tgname = 'dskv2_sync'")
    if { [ "${1%_rel}" = on ] && [ "$triggers" -eq 0 ]; } || { [ "${1%_rel}" = off ] && [ "$triggers" -ne 0 ]; }; then
        echo "sync $1: $triggers dskv2_sync triggers" >&2
        exit 1
    fi
}

# CPU time (clock ticks) of the postmaster's exited children: the backends of
# finished connections, and autovacuum workers that ended meanwhile.
postmaster=$(head -1 "$DSKV2_PGDATA/postmaster.pid")
ticks_per_s=$(getconf CLK_TCK)
children_ticks() { awk '{print $16 + $17}' "/proc/$postmaster/stat"; }

# run CONFIG SECS NAME: the toggle, the cleanup, then one pgbench run; sets
# run_tps, run_mean (ms), run_p95 (ms), run_n (transactions), run_failed and
# run_cpu (backend CPU microseconds per transaction).
run() {
    local config=$1 secs=$2 name=$3 out=$LOGS/$3.out dir=$LOGS/$3 t0 t1 db=$DB
    case $config in *_rel) db=${DB}_rel ;; esac
    local QDB=$db
    sync_config "$config"
    q "VACUUM ANALYZE ${vacuum_tables[$db]}" >/dev/null
    q "CHECKPOINT" >/dev/null
    mkdir -p "$dir"
    sleep 0.2; t0=$(children_ticks)
    "$PGBENCH" -n -U legacy_app -c "$CLIENTS" -j "$CLIENTS" -T "$secs" -D nusers="$nusers" -D nproducts="$nproducts" \
        -l --log-prefix="$dir/tx" -f "$WORKLOAD" "$db" >"$out" 2>&1 \
        || { echo "pgbench failed ($config, $name):" >&2; cat "$out" >&2; exit 1; }
    sleep 0.2; t1=$(children_ticks)
    run_tps=$(awk '/^tps = / {print $3}' "$out")
    run_failed=$(awk '/^number of failed transactions:/ {print $5}' "$out")
    [ -n "$run_tps" ] && [ -n "$run_failed" ] || { echo "unexpected pgbench output ($name):" >&2; cat "$out" >&2; exit 1; }
    # Field 3 of each log line: the transaction's latency in microseconds (a
    # word instead for a failed one).
    read -r run_n run_mean run_p95 < <(cat "$dir"/tx.* | awk '$3 ~ /^[0-9]+$/ {print $3}' | sort -n \
        | awk '{a[NR] = $1; s += $1} END {k = int((95 * NR + 99) / 100); printf "%d %.3f %.3f\n", NR, s / NR / 1000, a[k] / 1000}')
    run_cpu=$(calc "($t1 - $t0) * 1000000 / $ticks_per_s / $run_n")
}

declare -A tps mean p95 cpu r_tps r_mean r_p95 r_cpu
round_p95_ratios=""
total_failed=0
failed_runs=0
verify_failed=""
if [ "$WARMUP_SECS" -gt 0 ]; then
    log "warm-up"
    for config in off on off_rel on_rel; do run "$config" "$WARMUP_SECS" "warmup-$config"; done
fi
printf '\n%-6s %-4s %9s %9s %9s %9s %9s %7s\n' round sync tps mean_ms p95_ms cpu_us xacts failed | report
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    if [ $((round % 2)) -eq 1 ]; then order="off on off_rel on_rel"; else order="on_rel off_rel on off"; fi
    for config in $order; do
        run "$config" "$RUN_SECS" "round$round-$config"
        tps[$config]+=" $run_tps"; mean[$config]+=" $run_mean"; p95[$config]+=" $run_p95"; cpu[$config]+=" $run_cpu"
        r_tps[$config]=$run_tps; r_mean[$config]=$run_mean; r_p95[$config]=$run_p95; r_cpu[$config]=$run_cpu
        total_failed=$((total_failed + run_failed))
        [ "$run_failed" -eq 0 ] || failed_runs=$((failed_runs + 1))
        printf '%-6s %-4s %9.1f %9.3f %9.3f %9.1f %9d %7d\n' "$round" "$config" "$run_tps" "$run_mean" "$run_p95" \
            "$run_cpu" "$run_n" "$run_failed" | report
        # The last run with sync on: is V2 what the legacy data says it should be?
        if [ "$round" -eq "$ROUNDS" ] && [ "$config" = on ]; then
            verify_failed=$(q "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok" 2>&1) \
                || verify_failed="an error: $verify_failed"
            verify_details=$(q "SELECT check_name || ' ' || coalesce(table_name, '') || ': ' || coalesce(detail, '')
                                  FROM dskv2_verify_integrity() WHERE NOT ok LIMIT 10" 2>&1) || true
        fi
    done
    round_p95_ratios+=" $(calc "${r_p95[on]} / ${r_p95[off]}")"
    printf '%-6s %-4s %8.2fx %8.2fx %8.2fx %8.2fx   (on / off)\n' "$round" ratio \
        "$(calc "${r_tps[on]} / ${r_tps[off]}")" "$(calc "${r_mean[on]} / ${r_mean[off]}")" \
        "$(calc "${r_p95[on]} / ${r_p95[off]}")" "$(calc "${r_cpu[on]} / ${r_cpu[off]}")" | report
done

declare -A m_tps m_mean m_p95 m_cpu
for config in off on off_rel on_rel; do
    m_tps[$config]=$(echo "${tps[$config]}" | median)
    m_mean[$config]=$(echo "${mean[$config]}" | median)
    m_p95[$config]=$(echo "${p95[$config]}" | median)
    m_cpu[$config]=$(echo "${cpu[$config]}" | median)
done
r_tps_all=$(calc "${m_tps[on]} / ${m_tps[off]}")
r_mean_all=$(calc "${m_mean[on]} / ${m_mean[off]}")
r_p95_all=$(calc "${m_p95[on]} / ${m_p95[off]}")
r_cpu_all=$(calc "${m_cpu[on]} / ${m_cpu[off]}")
{
    echo
    echo "medians of $ROUNDS rounds ($CLIENTS clients):"
    printf '  without sync: %9.1f tps, mean latency %.3f ms, p95 latency %.3f ms, backend CPU %.1f us per transaction\n' \
        "${m_tps[off]}" "${m_mean[off]}" "${m_p95[off]}" "${m_cpu[off]}"
    printf '  with sync:    %9.1f tps, mean latency %.3f ms, p95 latency %.3f ms, backend CPU %.1f us per transaction\n' \
        "${m_tps[on]}" "${m_mean[on]}" "${m_p95[on]}" "${m_cpu[on]}"
    printf 'ratios (with / without sync): mean latency %.2fx, p95 latency %.2fx (target: latency <= 1.5x), throughput %.2fx\n' \
        "$r_mean_all" "$r_p95_all" "$r_tps_all"
    printf '  backend CPU per transaction (with / without): %.2fx\n' "$r_cpu_all"
    printf '  p95 ratio of each round (its two runs side by side): %s (median %.2fx)\n' \
        "$(for r in $round_p95_ratios; do printf '%.2fx ' "$r"; done | sed 's/ $//')" "$(echo "$round_p95_ratios" | median)"
    if [ "$total_failed" -eq 0 ]; then
        echo "failed transactions: 0 in every run (pgbench)"
    else
        echo "failed transactions: $total_failed, in $failed_runs of $((4 * ROUNDS)) measured runs (NOT 0; see the failed column)"
    fi
    if [ "$verify_failed" = 0 ]; then
        echo "dskv2_verify_integrity() after the last run with sync on: 0 failing checks"
    else
        echo "dskv2_verify_integrity() after the last run with sync on: NOT 0 failing checks: $verify_failed (expected 0)"
        printf '%s\n' "$verify_details" | sed 's/^/  /'
    fi
    printf '  release %s with sync: %.1f tps, mean latency %.3f ms, p95 latency %.3f ms, backend CPU %.1f us (without: p95 %.3f ms)\n' \
        "$RELEASE_VERSION" "${m_tps[on_rel]}" "${m_mean[on_rel]}" "${m_p95[on_rel]}" "${m_cpu[on_rel]}" "${m_p95[off_rel]}"
    printf 'this build / release %s with sync on (target: within 10%%): p95 latency %.2fx, mean latency %.2fx, throughput %.2fx, backend CPU %.2fx\n' \
        "$RELEASE_VERSION" "$(calc "${m_p95[on]} / ${m_p95[on_rel]}")" "$(calc "${m_mean[on]} / ${m_mean[on_rel]}")" \
        "$(calc "${m_tps[on]} / ${m_tps[on_rel]}")" "$(calc "${m_cpu[on]} / ${m_cpu[on_rel]}")"
    echo
    printf 'sync: p95 latency %.2fx, mean latency %.2fx, throughput %.2fx (median of %d rounds, %d clients)\n' \
        "$r_p95_all" "$r_mean_all" "$r_tps_all" "$ROUNDS" "$CLIENTS"
} | report
mkdir -p bench/results
cp "$REPORT" "$RESULTS"
log "written to $RESULTS ($(( $(date +%s) - start_time )) s after the build)"
