#!/usr/bin/env bash
# Benchmark: the native triggers (docs/triggers.md) under pgbench, in one run, as
# throughput against the same workload without them and with their PL/pgSQL
# equivalents, all on the same database (the M fixture migrated to V2):
#   A. audit: INSERT / UPDATE / DELETE on dropskills_v2.packs and favorites, one
#      statement per transaction, with no audit trigger, the native one
#      (dskv2_audit_enable) and a supa_audit-style PL/pgSQL trigger;
#   B. AI usage: dskv2_track_ai_usage() against a plain INSERT of the same
#      ai_usage row and a PL/pgSQL function doing the same steps.
# Medians of rounds in which the configurations' pgbench runs are interleaved.
# The last release (bench/release.sh) runs its native trigger and function in
# the same rounds, on a copy of the same data: configuration native_rel, and
# this build's native figures over the release's.
# Besides tps, the backends' CPU time per pgbench transaction (read from the
# postmaster's reaped-children times): a figure the other tenants of a shared
# machine disturb much less than wall-clock throughput.
# The pgbench scripts and the PL/pgSQL versions are in bench/triggers/.
#   DSKV2_BENCH_ROUNDS       rounds (default 5)
#   DSKV2_BENCH_SECONDS      seconds of pgbench per configuration and round (default 12)
#   DSKV2_BENCH_SLICES       pgbench runs those seconds are split into, interleaved
#                            with the other configurations' (default 3)
#   DSKV2_BENCH_CLIENTS      pgbench clients and threads (default 2)
#   DSKV2_BENCH_SYNC_COMMIT  synchronous_commit of the cluster (default off: the
#                            triggers' own cost, not the disk's flush latency)
# Run as root on Debian 12: bash bench/triggers.sh (writes bench/results/triggers.txt)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/release.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
mkdir -p build-bench && release_install
ROUNDS=${DSKV2_BENCH_ROUNDS:-5}
RUN_SECS=${DSKV2_BENCH_SECONDS:-12}
CLIENTS=${DSKV2_BENCH_CLIENTS:-2}
SYNC_COMMIT=${DSKV2_BENCH_SYNC_COMMIT:-off}
DSKV2_PGPORT=54335 cluster_start benchtrig shared_buffers=1GB jit=off max_wal_size=8GB checkpoint_timeout=30min \
    "synchronous_commit=$SYNC_COMMIT"
DB=dskv2_bench
PGBENCH=$(pg_bindir)/pgbench
RESULTS=bench/results/triggers.txt
REPORT=$DSKV2_RUN_DIR/triggers.txt
: >"$REPORT"
report() { tee -a "$REPORT"; }  # the lines that go into $RESULTS
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "${QDB:-$DB}" -c "$1"; }  # QDB: another database than $DB
calc() { awk "BEGIN {print $*}"; }
median() { tr ' ' '\n' | awk NF | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

{
    echo "machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}'); rounds: $ROUNDS"
    echo "this build: $(sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1) ($(git rev-parse --short HEAD));" \
        "release: $RELEASE_VERSION ($(echo "$RELEASE_COMMIT" | cut -c1-7)) as configuration native_rel, side by side"
} | report

log "loading the M fixture and migrating it, with this build and with the release"
psql -qX -d postgres -c "CREATE DATABASE ${DB}_base" >/dev/null
fixture_load "${DB}_base" M  # the legacy tables are postgres's; the runs are supabase_admin's (PGUSER)
# Every configuration gets a database of its own, written only by its runs:
# the same history of rows and dead rows for each (db_of below).
copy_db "$DB" "${DB}_base" dropskills_v2
copy_db "${DB}_cur" "${DB}_base" dropskills_v2
copy_db "${DB}_plpgsql" "${DB}_base" dropskills_v2
copy_db "${DB}_rel" "${DB}_base" "$RELEASE_EXT"
DBS=("$DB" "${DB}_cur" "${DB}_plpgsql" "${DB}_rel")
for db in "${DBS[@]}"; do
    psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "SELECT count(*) FROM dskv2_migrate_all()" >/dev/null
    if [ "$(QDB=$db q "SELECT to_regprocedure('dskv2_audit_enable(regclass, text[])') IS NOT NULL
                   AND to_regprocedure('dskv2_audit_disable(regclass)') IS NOT NULL
                   AND to_regprocedure('dskv2_track_ai_usage(text, uuid, integer, integer, text, jsonb, name)') IS NOT NULL")" != t ]; then
        echo "$db: the installed extension lacks dskv2_audit_enable, dskv2_audit_disable or dskv2_track_ai_usage" >&2
        exit 1
    fi
    psql -qX -v ON_ERROR_STOP=1 -d "$db" -f bench/triggers/setup.sql >/dev/null
    # Every session acts for a user, as PostgREST sets it: both audit triggers parse the claims on every row.
    actor=$(QDB=$db q "SELECT id FROM bench.users WHERE n = 1")
    QDB=$db q "ALTER DATABASE $db SET \"request.jwt.claims\" TO '{\"sub\": \"$actor\", \"role\": \"authenticated\"}'" >/dev/null
    QDB=$db q "VACUUM ANALYZE" >/dev/null
done
npacks=$(q "SELECT count(*) FROM bench.packs")
nfav=$(q "SELECT count(*) FROM bench.favorites")
nusers=$(q "SELECT count(*) FROM bench.users")
tool_id=$(q "SELECT id FROM dropskills_v2.ai_tools WHERE slug = 'bench-tool'")
cost=$(q "SELECT 120 * input_price_per_1k * 0.001 + 480 * output_price_per_1k * 0.001 FROM dropskills_v2.ai_tools WHERE id = $tool_id")
{
    echo "data: M fixture migrated to V2: $npacks packs, $nfav favorites, $nusers users"
    echo "pgbench: -c $CLIENTS -j $CLIENTS -M prepared, ${RUN_SECS} s per configuration and round;" \
        "synchronous_commit=$SYNC_COMMIT, shared_buffers=1GB, jit=off"
    psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -f bench/triggers/check.sql
} | report

# db_of CONFIG: the database of a configuration (none and insert: $DB).
db_of() {
    case $1 in native) echo "${DB}_cur" ;; plpgsql) echo "${DB}_plpgsql" ;; native_rel) echo "${DB}_rel" ;; *) echo "$DB" ;; esac
}
# audit_config none|native|plpgsql|native_rel: the audit trigger on packs and
# favorites, in the configuration's database (native and native_rel: this
# build's or the release's native one, which stays on there).
audit_config() {
    local QDB; QDB=$(db_of "$1")
    if [ "$1" = native ] || [ "$1" = native_rel ]; then
        q "SET client_min_messages = warning;
            SELECT dskv2_audit_enable('dropskills_v2.packs'), dskv2_audit_enable('dropskills_v2.favorites')" >/dev/null
        return
    fi
    local sql="SET client_min_messages = warning;
        DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.packs;
        DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.favorites;"
    sql+="SELECT dskv2_audit_disable('dropskills_v2.packs'), dskv2_audit_disable('dropskills_v2.favorites');"
    if [ "$1" = plpgsql ]; then
        sql+="CREATE TRIGGER bench_audit AFTER INSERT OR UPDATE OR DELETE ON dropskills_v2.packs
                  FOR EACH ROW EXECUTE FUNCTION bench.audit_trigger('id');
              CREATE TRIGGER bench_audit AFTER INSERT OR UPDATE OR DELETE ON dropskills_v2.favorites
                  FOR EACH ROW EXECUTE FUNCTION bench.audit_trigger('user_id', 'pack_id');"
    fi
    q "$sql" >/dev/null
    local audited
    audited=$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('dropskills_v2.packs'::regclass, 'dropskills_v2.favorites'::regclass)
                   AND tgname IN ('dskv2_audit', 'bench_audit')")
    [ "$audited" = "$([ "$1" = none ] && echo 0 || echo 2)" ] || { echo "audit configuration $1: $audited triggers" >&2; exit 1; }
}

# CPU time (clock ticks) of the postmaster's exited children: the backends of
# finished connections, and autovacuum workers that ended meanwhile.
postmaster=$(head -1 "$DSKV2_PGDATA/postmaster.pid")
ticks_per_s=$(getconf CLK_TCK)
children_ticks() { awk '{print $16 + $17}' "/proc/$postmaster/stat"; }

# slice WORKLOAD CONFIG SCRIPT...: one pgbench run of SLICE_SECS seconds, added
# to this round's sums of WORKLOAD,CONFIG: transactions, seconds (from pgbench's
# tps, without connection time), backend CPU ticks, side rows written, and the
# per-script latencies weighted by transactions. Fails on any failed transaction.
declare -A n_sum secs_sum ticks_sum rows_sum latp_sum latf_sum
slice() {
    local key=$1,$2 table log=$DSKV2_RUN_DIR/pgbench-$1-$2.log t0 t1 m0 written n tps_i db=$DB; shift 2
    case $key in audit,*) table=admin_logs ;; *) table=ai_usage ;; esac
    db=$(db_of "$2")
    local QDB=$db
    m0=$(q "SELECT coalesce(max(id), 0) FROM dropskills_v2.$table")
    sleep 0.2; t0=$(children_ticks)
    "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$SLICE_SECS" \
        -D npacks="$npacks" -D clients="$CLIENTS" -D fav_per_client=$((nfav / CLIENTS)) \
        -D nusers="$nusers" -D tool_id="$tool_id" -D cost="$cost" "$@" "$db" >"$log" 2>&1 \
        || { cat "$log" >&2; exit 1; }
    sleep 0.2; t1=$(children_ticks)
    grep -q '^number of failed transactions: 0 ' "$log" || { cat "$log" >&2; exit 1; }
    written=$(q "SELECT count(*) FROM dropskills_v2.$table WHERE id > $m0")
    n=$(awk '/^number of transactions actually processed:/ {print $NF}' "$log")
    tps_i=$(awk '/^tps = / {print $3}' "$log")
    n_sum[$key]=$(calc "${n_sum[$key]:-0} + $n")
    secs_sum[$key]=$(calc "${secs_sum[$key]:-0} + $n / $tps_i")
    ticks_sum[$key]=$(calc "${ticks_sum[$key]:-0} + $t1 - $t0")
    rows_sum[$key]=$(calc "${rows_sum[$key]:-0} + $written")
    if [ "$#" -gt 2 ]; then  # the two audit scripts: packs, then favorites
        latp_sum[$key]=$(calc "${latp_sum[$key]:-0} + $n * $(script_latency "$log" 1)")
        latf_sum[$key]=$(calc "${latf_sum[$key]:-0} + $n * $(script_latency "$log" 2)")
    fi
}
# script_latency LOG N: the average latency (ms) of the Nth script of a multi-script run.
script_latency() { awk -v n="$2" '/^SQL script / {s++} s == n && /- latency average/ {print $(NF-1); exit}' "$1"; }

# Each configuration runs RUN_SECS seconds a round, in SLICES slices
# interleaved with the other configurations' (the order rotates every slice),
# so that a disturbance of a few seconds falls on all of them alike. The tables
# are reset at the start of each round and workload.
SLICES=${DSKV2_BENCH_SLICES:-3}
SLICE_SECS=$(( RUN_SECS / SLICES > 0 ? RUN_SECS / SLICES : 1 ))
declare -A tps cpu lat_packs lat_fav
audit_configs=(none native plpgsql native_rel)
ai_configs=(insert native plpgsql native_rel)
{
    echo "each round: per configuration $SLICES pgbench runs of $SLICE_SECS s, interleaved with the others'"
    printf '\n%-6s %-9s %-8s %9s %8s %9s %12s %10s\n' round workload config tps cpu_us packs_ms favorites_ms rows/stmt
} | report
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    n_sum=(); secs_sum=(); ticks_sum=(); rows_sum=(); latp_sum=(); latf_sum=()
    for db in "${DBS[@]}"; do psql -qX -v ON_ERROR_STOP=1 -d "$db" -f bench/triggers/reset.sql >/dev/null; done
    for s in $(seq 0 $((SLICES - 1))); do
        for i in 0 1 2 3; do
            config=${audit_configs[$(((i + round + s) % 4))]}
            audit_config "$config"
            slice audit "$config" -f bench/triggers/audit_packs.sql@1 -f bench/triggers/audit_favorites.sql@1
        done
    done
    for db in "${DBS[@]}"; do psql -qX -v ON_ERROR_STOP=1 -d "$db" -f bench/triggers/reset.sql >/dev/null; done
    for s in $(seq 0 $((SLICES - 1))); do
        for i in 0 1 2 3; do
            config=${ai_configs[$(((i + round + s) % 4))]}
            slice ai "$config" -f "bench/triggers/ai_${config%_rel}.sql"
        done
    done
    for key in audit,none audit,native audit,plpgsql audit,native_rel ai,insert ai,native ai,plpgsql ai,native_rel; do
        t=$(calc "${n_sum[$key]} / ${secs_sum[$key]}")
        c=$(calc "${ticks_sum[$key]} * 1000000 / $ticks_per_s / ${n_sum[$key]}")
        tps[$key]+=" $t"; cpu[$key]+=" $c"
        if [ "${key%,*}" = audit ]; then
            # Each script is 3 statements writing one row each: 1 audit row per statement when audited.
            lp=$(calc "${latp_sum[$key]} / ${n_sum[$key]}"); lf=$(calc "${latf_sum[$key]} / ${n_sum[$key]}")
            lat_packs[${key#*,}]+=" $lp"; lat_fav[${key#*,}]+=" $lf"
            printf '%-6s %-9s %-8s %9.1f %8.1f %9.3f %12.3f %10.2f\n' "$round" audit "${key#*,}" "$t" "$c" "$lp" "$lf" \
                "$(calc "${rows_sum[$key]} / (3 * ${n_sum[$key]})")" | report
        else
            printf '%-6s %-9s %-8s %9.1f %8.1f %9s %12s %10.2f\n' "$round" ai "${key#*,}" "$t" "$c" - - \
                "$(calc "${rows_sum[$key]} / ${n_sum[$key]}")" | report
        fi
    done
done
audit_config native  # the extension's default
psql -qX -d "$DB" -f bench/triggers/reset.sql >/dev/null

# summary WORKLOAD BASE: medians, overheads against BASE, the native/PL/pgSQL ratio.
summary() {
    local base native plpgsql o_native o_plpgsql
    base=$(echo "${tps[$1,$2]}" | median); native=$(echo "${tps[$1,native]}" | median)
    plpgsql=$(echo "${tps[$1,plpgsql]}" | median)
    o_native=$(calc "$base / $native - 1"); o_plpgsql=$(calc "$base / $plpgsql - 1")
    printf 'median tps: %s %.1f | native %.1f | PL/pgSQL %.1f\n' "$3" "$base" "$native" "$plpgsql"
    printf 'overhead (tps_%s / tps_x - 1): native %.1f%% (target <= 25%%) | PL/pgSQL %.1f%%\n' \
        "$2" "$(calc "100 * $o_native")" "$(calc "100 * $o_plpgsql")"
    printf 'native overhead / PL/pgSQL overhead: %.2f (target <= 0.5)\n' "$(calc "$o_native / $o_plpgsql")"
    base=$(echo "${cpu[$1,$2]}" | median); native=$(echo "${cpu[$1,native]}" | median)
    plpgsql=$(echo "${cpu[$1,plpgsql]}" | median)
    o_native=$(calc "$native / $base - 1"); o_plpgsql=$(calc "$plpgsql / $base - 1")
    printf 'median backend CPU per transaction: %s %.1f us | native %.1f us | PL/pgSQL %.1f us\n' "$3" "$base" "$native" "$plpgsql"
    printf '  CPU overhead (cpu_x / cpu_%s - 1): native %.1f%% | PL/pgSQL %.1f%% | ratio %.2f\n' \
        "$2" "$(calc "100 * $o_native")" "$(calc "100 * $o_plpgsql")" "$(calc "$o_native / $o_plpgsql")"
}
{
    echo
    echo "A. audit trigger, packs and favorites scripts mixed 1:1 (tps: scripts per second; 3 statements, one transaction each):"
    summary audit none "no trigger"
    for config in none native plpgsql native_rel; do
        lp=$(echo "${lat_packs[$config]}" | median); lf=$(echo "${lat_fav[$config]}" | median)
        printf '  %-8s median script latency: packs %.3f ms (%+.1f%%) | favorites %.3f ms (%+.1f%%)\n' "$config" \
            "$lp" "$(calc "100 * ($lp / $(echo "${lat_packs[none]}" | median) - 1)")" \
            "$lf" "$(calc "100 * ($lf / $(echo "${lat_fav[none]}" | median) - 1)")"
    done
    echo
    echo "B. AI usage, one call or insert per transaction (quota $(q "SELECT daily_quota FROM dropskills_v2.ai_tools WHERE id = $tool_id") a day, checked on every call):"
    summary ai insert "plain INSERT"
    echo
    echo "C. this build against release $RELEASE_VERSION, the same rounds (target: within 10%):"
    for w in audit ai; do
        printf '  %-5s native: tps %.2fx the release'"'"'s, backend CPU per transaction %.2fx\n' "$w" \
            "$(calc "$(echo "${tps[$w,native]}" | median) / $(echo "${tps[$w,native_rel]}" | median)")" \
            "$(calc "$(echo "${cpu[$w,native]}" | median) / $(echo "${cpu[$w,native_rel]}" | median)")"
    done
} | report
mkdir -p bench/results
cp "$REPORT" "$RESULTS"
log "written to $RESULTS"
