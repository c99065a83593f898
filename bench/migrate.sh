#!/usr/bin/env bash
# Benchmark: the migration and its verification on the L fixture (1.22M legacy rows), one run of the
# script, printed as ratios against the floor measured in the same database:
# inserting the same final V2 rows into identically indexed empty tables, one
# INSERT ... SELECT per table. Also rows per second, and the backend's peak
# private memory of a batched run at M and at L (it must stay flat as data grows).
#   DSKV2_BENCH_ROUNDS  rounds per measure (default 3; medians are printed)
# Run as root on Debian 12: bash bench/migrate.sh
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$DSKV2_ROOT"
install_deps
build_extension
DSKV2_PGPORT=54331 cluster_start benchmig shared_buffers=2GB max_wal_size=8GB checkpoint_timeout=30min
ROUNDS=${DSKV2_BENCH_ROUNDS:-3}
q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
now() { date +%s.%N; }
calc() { awk "BEGIN {print $*}"; }
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

load() {  # load DB SIZE
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    psql -qX -v ON_ERROR_STOP=1 -d "$1" -f fixtures/supabase.sql -f fixtures/legacy_schema.sql -f fixtures/generate.sql \
        -c "SELECT sum(row_count) FROM dskv2_fixture.generate('$2')" -c "CREATE EXTENSION dropskills_v2" >/dev/null
    psql -qX -d "$1" -c "VACUUM ANALYZE" >/dev/null
}
reset_target() { q "$1" "SET client_min_messages = warning; DROP SCHEMA IF EXISTS dropskills_v2 CASCADE; DROP SCHEMA IF EXISTS v2_floor CASCADE; CHECKPOINT" >/dev/null; }

# peak_call DB BATCH: runs CALL dskv2_migrate, echoes "seconds peak_kB peak_batches_kB":
# the backend's peak private memory (RssAnon) over the whole run, and while
# legacy tables are being migrated (before the final index and foreign key build,
# which is bounded by maintenance_work_mem).
peak_call() {
    local start end pid="" peak=0 peak_batches=0 kb running
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
        [ "${running:-0}" -gt 0 ] && [ "${kb:-0}" -gt "$peak_batches" ] && peak_batches=$kb
        sleep 0.2
    done
    wait $client
    end=$(now)
    echo "$(calc "$end - $start") $peak $peak_batches"
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
date: $(date -u '+%Y-%m-%d %H:%M UTC'); PostgreSQL $(pg_config --version | awk '{print $2}'); rounds: $ROUNDS"
echo "$header"

log "loading the M and L fixtures"
load dskv2_bench_m M
load dskv2_bench_l L
legacy_rows=$(q dskv2_bench_l "SELECT (SELECT count(*) FROM auth.users) + (SELECT count(*) FROM public.profiles p WHERE NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id))
    + (SELECT count(*) FROM public.categories) + (SELECT count(*) FROM public.products) + (SELECT count(*) FROM public.samples)
    + (SELECT count(*) FROM public.tags) + (SELECT count(*) FROM public.favorites) + (SELECT count(*) FROM public.product_stats)
    + (SELECT count(*) FROM public.trending_ideas) + (SELECT count(*) FROM public.admin_logs)")

atomic=(); batched=(); floor=(); verify=()
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    reset_target dskv2_bench_l
    t0=$(now); q dskv2_bench_l "SET client_min_messages = warning; SELECT count(*) FROM dskv2_migrate_all()" >/dev/null; t1=$(now)
    atomic+=("$(calc "$t1 - $t0")")
    q dskv2_bench_l "CHECKPOINT" >/dev/null
    t0=$(now); q dskv2_bench_l "SELECT count(*) FILTER (WHERE NOT ok) FROM dskv2_verify_integrity()" >"$DSKV2_RUN_DIR/verify.out"; t1=$(now)
    verify+=("$(calc "$t1 - $t0")")
    failing=$(cat "$DSKV2_RUN_DIR/verify.out")
    t0=$(now); psql -qX -v ON_ERROR_STOP=1 -d dskv2_bench_l -c "$floor_sql" >/dev/null; t1=$(now)
    floor+=("$(calc "$t1 - $t0")")
    reset_target dskv2_bench_l
    read -r secs peak_l peak_batches_l <<<"$(peak_call dskv2_bench_l 10000)"
    batched+=("$secs")
done
reset_target dskv2_bench_m
read -r secs_m peak_m peak_batches_m <<<"$(peak_call dskv2_bench_m 10000)"

a=$(echo "${atomic[*]}" | median); b=$(echo "${batched[*]}" | median); f=$(echo "${floor[*]}" | median)
v=$(echo "${verify[*]}" | median)
echo
# The figures, also written to bench/results/migrate.txt (the README quotes them).
{
echo "$header"
echo "legacy rows (L): $legacy_rows"
printf 'median seconds: dskv2_migrate_all %.2f | CALL dskv2_migrate (batch 10000) %.2f | floor %.2f\n' "$a" "$b" "$f"
printf 'ratio to the floor: dskv2_migrate_all %.2fx (target <= 1.5x) | CALL dskv2_migrate %.2fx\n' \
    "$(calc "$a / $f")" "$(calc "$b / $f")"
printf 'dskv2_verify_integrity %.2f s = %.2fx dskv2_migrate_all (target <= 0.5x); failing checks after the migration: %s\n' \
    "$v" "$(calc "$v / $a")" "$failing"
printf 'rows per second: dskv2_migrate_all %.0f | CALL dskv2_migrate %.0f\n' \
    "$(calc "$legacy_rows / $a")" "$(calc "$legacy_rows / $b")"
printf 'batched run, backend peak private memory (RssAnon) while migrating tables: M %d kB | L %d kB | L/M %.2fx for %.1fx the rows\n' \
    "$peak_batches_m" "$peak_batches_l" "$(calc "$peak_batches_l / $peak_batches_m")" "$(calc "1220513 / 97744")"
printf 'batched run, peak including the final index and foreign key build (maintenance_work_mem %s): M %d kB | L %d kB\n' \
    "$(q dskv2_bench_l "SHOW maintenance_work_mem")" "$peak_m" "$peak_l"
} | tee bench/results/migrate.txt
