#!/usr/bin/env bash
# Benchmark: the native triggers (SPEC §7) under pgbench, in one run, as
# throughput against the same workload without them and with their PL/pgSQL
# equivalents, all on the same database (the M fixture migrated to V2):
#   A. audit: INSERT / UPDATE / DELETE on dropskills_v2.packs and favorites, one
#      statement per transaction, with no audit trigger, the native one
#      (dskv2_audit_enable) and a supa_audit-style PL/pgSQL trigger;
#   B. AI usage: dskv2_track_ai_usage() against a plain INSERT of the same
#      ai_usage row and a PL/pgSQL function doing the same steps.
# Medians of interleaved rounds (the configurations' order rotates each round).
# The pgbench scripts and the PL/pgSQL versions are in bench/triggers/.
#   DSKV2_BENCH_ROUNDS       rounds (default 5)
#   DSKV2_BENCH_SECONDS      seconds of pgbench per configuration and round (default 12)
#   DSKV2_BENCH_CLIENTS      pgbench clients and threads (default 2)
#   DSKV2_BENCH_SYNC_COMMIT  synchronous_commit of the cluster (default off: the
#                            triggers' own cost, not the disk's flush latency)
# Run as root on Debian 12: bash bench/triggers.sh (writes bench/results/triggers.txt)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
ROUNDS=${DSKV2_BENCH_ROUNDS:-5}
RUN_SECS=${DSKV2_BENCH_SECONDS:-12}
CLIENTS=${DSKV2_BENCH_CLIENTS:-2}
SYNC_COMMIT=${DSKV2_BENCH_SYNC_COMMIT:-off}
DSKV2_PGPORT=54332 cluster_start benchtrig shared_buffers=1GB jit=off max_wal_size=8GB checkpoint_timeout=30min \
    "synchronous_commit=$SYNC_COMMIT"
DB=dskv2_bench
PGBENCH=$(pg_bindir)/pgbench
RESULTS=bench/results/triggers.txt
REPORT=$DSKV2_RUN_DIR/triggers.txt
: >"$REPORT"
report() { tee -a "$REPORT"; }  # the lines that go into $RESULTS
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
calc() { awk "BEGIN {print $*}"; }
median() { tr ' ' '\n' | awk NF | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

{
    echo "machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}'); rounds: $ROUNDS"
} | report

log "loading the M fixture and migrating it"
psql -qX -d postgres -c "CREATE DATABASE $DB" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d "$DB" -f fixtures/supabase.sql -f fixtures/legacy_schema.sql -f fixtures/generate.sql \
    -c "SELECT sum(row_count) FROM dskv2_fixture.generate('M')" -c "CREATE EXTENSION dropskills_v2" \
    -c "SET client_min_messages = warning" -c "SELECT count(*) FROM dskv2_migrate_all()" >/dev/null
if [ "$(q "SELECT to_regprocedure('dskv2_audit_enable(regclass, text[])') IS NOT NULL
               AND to_regprocedure('dskv2_audit_disable(regclass)') IS NOT NULL
               AND to_regprocedure('dskv2_track_ai_usage(text, uuid, integer, integer, text, jsonb, name)') IS NOT NULL")" != t ]; then
    echo "the installed dropskills_v2 lacks dskv2_audit_enable, dskv2_audit_disable or dskv2_track_ai_usage" >&2
    exit 1
fi
psql -qX -v ON_ERROR_STOP=1 -d "$DB" -f bench/triggers/setup.sql >/dev/null
# Every session acts for a user, as PostgREST sets it: both audit triggers parse the claims on every row.
actor=$(q "SELECT id FROM bench.users WHERE n = 1")
q "ALTER DATABASE $DB SET \"request.jwt.claims\" TO '{\"sub\": \"$actor\", \"role\": \"authenticated\"}'" >/dev/null
q "VACUUM ANALYZE" >/dev/null
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

# audit_config none|native|plpgsql: the audit trigger on packs and favorites.
audit_config() {
    local sql="SET client_min_messages = warning;
        DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.packs;
        DROP TRIGGER IF EXISTS bench_audit ON dropskills_v2.favorites;"
    if [ "$1" = native ]; then
        sql+="SELECT dskv2_audit_enable('dropskills_v2.packs'), dskv2_audit_enable('dropskills_v2.favorites');"
    else
        sql+="SELECT dskv2_audit_disable('dropskills_v2.packs'), dskv2_audit_disable('dropskills_v2.favorites');"
    fi
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

# pgbench_run LOG SCRIPT...: reset, then one timed pgbench run; fails on any failed transaction.
pgbench_run() {
    local log=$1; shift
    psql -qX -v ON_ERROR_STOP=1 -d "$DB" -f bench/triggers/reset.sql >/dev/null
    "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$RUN_SECS" \
        -D npacks="$npacks" -D clients="$CLIENTS" -D fav_per_client=$((nfav / CLIENTS)) \
        -D nusers="$nusers" -D tool_id="$tool_id" -D cost="$cost" "$@" "$DB" >"$log" 2>&1 \
        || { cat "$log" >&2; exit 1; }
    grep -q '^number of failed transactions: 0 ' "$log" || { cat "$log" >&2; exit 1; }
}
tps_of() { awk '/^tps = / {print $3}' "$1"; }
processed_of() { awk '/^number of transactions actually processed:/ {print $NF}' "$1"; }
# script_latency LOG N: the average latency (ms) of the Nth script of a multi-script run.
script_latency() { awk -v n="$2" '/^SQL script / {s++} s == n && /- latency average/ {print $(NF-1); exit}' "$1"; }

declare -A tps lat_packs lat_fav
audit_configs=(none native plpgsql)
ai_configs=(insert native plpgsql)
printf '\n%-6s %-10s %-8s %10s %12s %12s %12s\n' round workload config tps packs_ms favorites_ms rows/stmt | report
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    for i in 0 1 2; do
        config=${audit_configs[$(((i + round - 1) % 3))]}
        audit_config "$config"
        runlog=$DSKV2_RUN_DIR/pgbench-audit-$config-$round.log
        pgbench_run "$runlog" -f bench/triggers/audit_packs.sql@1 -f bench/triggers/audit_favorites.sql@1
        # Each script is 3 statements, each writing one row: 1 audit row per statement when audited.
        written=$(q "SELECT count(*) FROM dropskills_v2.admin_logs WHERE id > (SELECT id FROM bench.admin_logs_floor)")
        t=$(tps_of "$runlog"); lp=$(script_latency "$runlog" 1); lf=$(script_latency "$runlog" 2)
        tps[audit,$config]+=" $t"; lat_packs[$config]+=" $lp"; lat_fav[$config]+=" $lf"
        printf '%-6s %-10s %-8s %10.1f %12.3f %12.3f %12.2f\n' "$round" audit "$config" "$t" "$lp" "$lf" \
            "$(calc "$written / (3 * $(processed_of "$runlog"))")" | report
    done
    for i in 0 1 2; do
        config=${ai_configs[$(((i + round - 1) % 3))]}
        runlog=$DSKV2_RUN_DIR/pgbench-ai-$config-$round.log
        pgbench_run "$runlog" -f "bench/triggers/ai_$config.sql"
        written=$(q "SELECT count(*) FROM dropskills_v2.ai_usage")
        t=$(tps_of "$runlog")
        tps[ai,$config]+=" $t"
        printf '%-6s %-10s %-8s %10.1f %12s %12s %12.2f\n' "$round" ai "$config" "$t" - - \
            "$(calc "$written / $(processed_of "$runlog")")" | report
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
}
{
    echo
    echo "A. audit trigger, packs and favorites scripts mixed 1:1 (tps: scripts per second; 3 statements, one transaction each):"
    summary audit none "no trigger"
    for config in none native plpgsql; do
        lp=$(echo "${lat_packs[$config]}" | median); lf=$(echo "${lat_fav[$config]}" | median)
        printf '  %-8s median script latency: packs %.3f ms (%+.1f%%) | favorites %.3f ms (%+.1f%%)\n' "$config" \
            "$lp" "$(calc "100 * ($lp / $(echo "${lat_packs[none]}" | median) - 1)")" \
            "$lf" "$(calc "100 * ($lf / $(echo "${lat_fav[none]}" | median) - 1)")"
    done
    echo
    echo "B. AI usage, one call or insert per transaction (quota $(q "SELECT daily_quota FROM dropskills_v2.ai_tools WHERE id = $tool_id") a day, checked on every call):"
    summary ai insert "plain INSERT"
} | report
mkdir -p bench/results
cp "$REPORT" "$RESULTS"
log "written to $RESULTS"
