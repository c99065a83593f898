#!/usr/bin/env bash
# make upgradecheck (TAP): the last released version, live, upgraded to this
# build while the legacy application writes. See CONTRIBUTING.md, "The update
# chain".
#
#   1. The release's commit (extension/releases) is built in a git worktree and
#      installed into a private copy of PostgreSQL (scripts/lib.sh
#      pg_private_prefix), which a throwaway cluster then runs.
#   2. Three databases get a migrated target, each in one phase: migrated,
#      live sync on, switched (after dskv2_cutover). A fourth has only the
#      extension, for the suites.
#   3. While the legacy workload runs (pgbench, a new connection per
#      transaction, so every transaction loads whatever library is installed
#      at that moment): this build is installed over the release, then
#      ALTER EXTENSION dropskills_v2 UPDATE and dskv2_create_schema() run in
#      every database.
#   4. Checks: (a) every member's definition and ACL equals a fresh install's;
#      (b) every target has the shape of a fresh one, its rows and
#      dskv2_verify_integrity() all ok; (c) every dskv2 trigger still exists,
#      points at a member function and fires; (d) no legacy transaction failed
#      (but the guard's 25006 after the switch), no sign-up failed or was left
#      unsynced; (e) pg_regress and pgTAP pass on the upgraded database.
#
# Environment: DSKV2_UPGRADE_SECONDS (workload length, default 20),
# DSKV2_UPGRADE_PORT (default 54331). Needs the packages scripts/test.sh
# installs, and the git history of the release.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../scripts/lib.sh"
source "$HERE/../scenarios/tap.bash"
cd "$DSKV2_ROOT"

read -r OLD_VERSION OLD_COMMIT < <(grep -v '^#' extension/releases | tail -n 1)
NEW_VERSION=$(sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1)
if ! git cat-file -e "${OLD_COMMIT}^{commit}" 2>/dev/null; then
    echo "Bail out! this clone lacks the history of release $OLD_VERSION (commit $OLD_COMMIT):" \
         "clone without --depth, or run git fetch --unshallow" >&2
    exit 2
fi
WORK=$DSKV2_ROOT/build-upgrade
SECONDS_RUN=${DSKV2_UPGRADE_SECONDS:-20}
rm -rf "$WORK"
git worktree prune
mkdir -p "$WORK/logs"
LOGS=$WORK/logs
cleanup() {
    [ -n "${DSKV2_UPGRADE_KEEP:-}" ] && return  # debugging: keep the cluster and the worktree
    cluster_stop
    git -C "$DSKV2_ROOT" worktree remove --force "$WORK/old" >/dev/null 2>&1
    git -C "$DSKV2_ROOT" worktree prune
}
trap cleanup EXIT

plan 24

# 1. The release, built from its commit, in a private PostgreSQL.
git worktree add --detach "$WORK/old" "$OLD_COMMIT" >"$LOGS/worktree.log" 2>&1
BIN=$(pg_private_prefix "$WORK/pg") || { echo "Bail out! cannot copy PostgreSQL" >&2; exit 2; }
export PATH=$BIN:$PATH
if ! make -C "$WORK/old" -s -j"$(nproc)" install >"$LOGS/build-old.log" 2>&1; then
    tail -30 "$LOGS/build-old.log"; echo "Bail out! release $OLD_VERSION does not build" >&2; exit 2
fi
# This build, compiled now and installed later, during the workload.
if ! make -s -j"$(nproc)" >"$LOGS/build-new.log" 2>&1; then
    tail -30 "$LOGS/build-new.log"; echo "Bail out! this build does not compile" >&2; exit 2
fi
DSKV2_PGPORT=${DSKV2_UPGRADE_PORT:-54331} DSKV2_RUN_DIR=$WORK/cluster \
    cluster_start upgrade fsync=off synchronous_commit=off full_page_writes=off max_connections=60 >/dev/null
trap cleanup EXIT  # cluster_start set its own trap
PGBENCH=$BIN/pgbench

# 2. Targets in three phases, made by the release.
# The cluster's PGUSER is supabase_admin (scripts/lib.sh cluster_start): the legacy tables are
# postgres's (scripts/lib.sh fixture_load), and the release's DBA steps (migration, live sync, the
# switch), the update and dskv2_create_schema() run as supabase_admin, the superuser, since the
# release (0.1.0) predates the DBA who is not one; test/scenarios/ runs this build as postgres.
legacy_db() {  # legacy_db NAME: fixtures, S data, the legacy app, the release's extension, a migration
    psql -qX -d postgres -c "CREATE DATABASE $1" >/dev/null && fixture_load "$1" S >"$LOGS/setup-$1.log" 2>&1 &&
    psql -qX -v ON_ERROR_STOP=1 -d "$1" -f fixtures/legacy_app_setup.sql \
        -c "CREATE EXTENSION dropskills_v2" -c "SET client_min_messages = warning" \
        -c "SELECT count(*) FROM dskv2_migrate_all()" >>"$LOGS/setup-$1.log" 2>&1
}
DB=up_migrated; legacy_db up_migrated
ok $? "release $OLD_VERSION: a migrated target"
legacy_db up_sync && DB=up_sync q -c "SET client_min_messages = warning" -c "SELECT dskv2_sync_enable()" >>"$LOGS/setup-up_sync.log" 2>&1
ok $? "... a target with live sync on"
legacy_db up_switched && DB=up_switched q -c "SET client_min_messages = warning" -c "SELECT dskv2_sync_enable()" \
    -c "SELECT count(*) FILTER (WHERE NOT ok) FROM dskv2_cutover()" >>"$LOGS/setup-up_switched.log" 2>&1
ok $? "... a switched target"
# As the suites' own databases are: the extension only (pgTAP's needs pgtap too).
for db in up_regress up_tap; do
    psql -qX -d postgres -c "CREATE DATABASE $db" >/dev/null && DB=$db q -c "CREATE EXTENSION dropskills_v2" >"$LOGS/setup-$db.log" 2>&1
done
DB=up_tap q -c "CREATE EXTENSION pgtap" >>"$LOGS/setup-up_tap.log" 2>&1
is "$(for db in up_regress up_tap; do DB=$db q -c "SELECT extversion FROM pg_extension WHERE extname = 'dropskills_v2'"; done | sort -u)" \
   "$OLD_VERSION" "... and two databases with the extension at $OLD_VERSION only, for the suites"

# The dskv2 triggers of each database: table, name, enabled, function name.
TRIGGERS="SELECT t.tgrelid::regclass || ' ' || t.tgname || ' ' || t.tgenabled::text || ' ' || p.proname
            FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname LIKE 'dskv2\_%' ORDER BY 1"
MEMBER_TRIGGERS="SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                  WHERE p.proname LIKE 'dskv2\_%' AND NOT EXISTS (
                        SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2'
                         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
# One line per V2 table: its name and row count.
ROWS="SELECT c.relname || '=' || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'dropskills_v2' AND c.relkind = 'r' ORDER BY 1"
for db in up_migrated up_sync up_switched; do
    DB=$db q -c "$TRIGGERS" >"$LOGS/triggers-before-$db.txt"
    DB=$db q -c "$ROWS" >"$LOGS/rows-before-$db.txt"
done

# 3. The workload, and the upgrade in the middle of it.
START=$(DB=up_sync q -c "SELECT now()")
NU=$(DB=up_sync q -c "SELECT count(*) FROM legacy_app.users")
NP=$(DB=up_sync q -c "SELECT count(*) FROM legacy_app.products")
cat >"$LOGS/switched.pgbench" <<'EOF'
\set r random(1, 100)
\set p random(1, :nproducts)
\if :r <= 30
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES (gen_random_uuid(), 'upgrade-' || gen_random_uuid() || '@example.test', '{"full_name": "Pendant la mise à jour"}', now());
\else
SELECT p.id, p.title, s.views FROM public.products p JOIN legacy_app.products lp ON lp.id = p.id
  LEFT JOIN public.product_stats s ON s.product_id = p.id WHERE lp.n = :p;
\endif
EOF
cat >"$LOGS/reads.pgbench" <<'EOF'
\set p random(1, :nproducts)
SELECT p.id, p.title, s.views FROM public.products p JOIN legacy_app.products lp ON lp.id = p.id
  LEFT JOIN public.product_stats s ON s.product_id = p.id WHERE lp.n = :p;
EOF
bench() {  # bench DB SCRIPT LOG: pgbench as the legacy app, one connection per transaction
    "$PGBENCH" -n -C -U legacy_app -D nusers="$NU" -D nproducts="$NP" -c 2 -j 2 -T "$SECONDS_RUN" -f "$2" "$1" >"$3" 2>&1
}
bench up_sync fixtures/legacy_app.pgbench "$LOGS/bench-sync.log" & b1=$!
bench up_switched "$LOGS/switched.pgbench" "$LOGS/bench-switched.log" & b2=$!
bench up_migrated "$LOGS/reads.pgbench" "$LOGS/bench-migrated.log" & b3=$!
# Application writes to the switched legacy tables: each must fail with 25006, nothing else.
(
    end=$((SECONDS + SECONDS_RUN))
    while [ $SECONDS -lt $end ]; do
        psql -qXAt -U legacy_app -d up_switched -v VERBOSITY=sqlstate \
             -c "UPDATE public.products SET title = title || '!' WHERE id = (SELECT id FROM legacy_app.products WHERE n = 1)" 2>&1 \
            | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p; s/^UPDATE .*/ok/p'
        sleep 0.2
    done
) >"$LOGS/guarded.txt" &
b4=$!
sleep 3
# Installed as a package manager does: each file copied beside its place, then
# renamed over it, so no backend ever opens a half-written library.
install_atomically() {
    local stage=$WORK/stage f
    rm -rf "$stage"
    make -s install DESTDIR="$stage" >"$LOGS/install-new.log" 2>&1 || return 1
    (cd "$stage" && find . -type f) | while read -r f; do
        f=${f#.}
        mkdir -p "$(dirname "$f")" && cp "$stage$f" "$f.dskv2-new" && chmod a+r "$f.dskv2-new" && mv -f "$f.dskv2-new" "$f" || exit 1
    done
}
install_atomically
ok $? "this build is installed over release $OLD_VERSION while the application runs"
sleep 2
upgrade_failed=0
for db in up_migrated up_sync up_switched up_regress up_tap; do
    DB=$db q -c "SET client_min_messages = warning" -c "ALTER EXTENSION dropskills_v2 UPDATE" >>"$LOGS/update-$db.log" 2>&1 \
        || upgrade_failed=1
done
ok $upgrade_failed "ALTER EXTENSION dropskills_v2 UPDATE in every database"
sleep 2
schema_failed=0
for db in up_migrated up_sync up_switched; do
    DB=$db q -c "SET client_min_messages = warning" -c "SELECT dskv2_create_schema()" >>"$LOGS/update-$db.log" 2>&1 \
        || schema_failed=1
done
ok $schema_failed "dskv2_create_schema() on every target"
[ $upgrade_failed -eq 0 ] && [ $schema_failed -eq 0 ] || sed 's/^/# /' "$LOGS"/update-*.log
wait $b1; r1=$?; wait $b2; r2=$?; wait $b3; r3=$?; wait $b4

# (d) The application saw nothing but the guard.
failed() { sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$1"; }
bench_ok() {  # bench_ok LOG RC: pgbench ran to its end, every transaction committed
    [ "$2" -eq 0 ] && [ "$(failed "$1")" = 0 ] && ! grep -qi 'aborted\|error' "$1"
}
bench_ok "$LOGS/bench-sync.log" $r1; ok $? "(d) live sync: no legacy transaction failed during the upgrade"
bench_ok "$LOGS/bench-switched.log" $r2; ok $? "(d) switched: no sign-up or read failed during the upgrade"
bench_ok "$LOGS/bench-migrated.log" $r3; ok $? "(d) migrated: no read failed during the upgrade"
for f in bench-sync bench-switched bench-migrated; do grep -i 'aborted\|error' "$LOGS/$f.log" | head -5 | sed 's/^/# /'; done
is "$(sort -u "$LOGS/guarded.txt" | tr '\n' ' ')" "25006 " "(d) switched: every application write to legacy failed with 25006, and only so"
unsynced=$(for db in up_sync up_switched; do
    DB=$db q -c "SELECT count(*) FROM auth.users a WHERE a.created_at >= '$START' AND NOT EXISTS (
                     SELECT 1 FROM dropskills_v2.users u WHERE u.id = a.id)"
    done | tr '\n' ' ')
signups=$(for db in up_sync up_switched; do DB=$db q -c "SELECT count(*) > 0 FROM auth.users WHERE created_at >= '$START'"; done | tr '\n' ' ')
is "$unsynced/$signups" "0 0 /t t " "(d) every sign-up during the upgrade reached V2 users (sync and switched)"

# (a) Members as a fresh install's.
psql -qX -d postgres -c "CREATE DATABASE up_fresh" >/dev/null
{ DB=up_fresh q -f fixtures/supabase.sql && DB=up_fresh q -U "$DBA" -f fixtures/legacy_schema.sql &&
  DB=up_fresh q -c "CREATE EXTENSION dropskills_v2" -c "SET client_min_messages = warning" -c "SELECT dskv2_create_schema()"; } \
    >"$LOGS/setup-up_fresh.log" 2>&1
psql -qX -d postgres -c "CREATE DATABASE up_fresh_bare" >/dev/null && DB=up_fresh_bare q -c "CREATE EXTENSION dropskills_v2" >/dev/null
DB=up_fresh q -f test/upgrade/members.sql >"$LOGS/members-fresh.txt"
DB=up_fresh_bare q -f test/upgrade/members.sql >"$LOGS/members-fresh_bare.txt"
diverge=""
for db in up_migrated up_sync up_switched up_regress up_tap; do
    DB=$db q -f test/upgrade/members.sql >"$LOGS/members-$db.txt"
    fresh=fresh; case $db in up_regress|up_tap) fresh=fresh_bare;; esac
    if ! cmp -s "$LOGS/members-$fresh.txt" "$LOGS/members-$db.txt"; then
        diverge="$diverge $db"
        diff "$LOGS/members-$fresh.txt" "$LOGS/members-$db.txt" | head -10 | sed 's/^/# /' >>"$LOGS/members.diff"
    fi
done
is "$diverge" "" "(a) every member's definition and ACL equals a fresh install's"
[ -f "$LOGS/members.diff" ] && cat "$LOGS/members.diff"
is "$(for db in up_migrated up_sync up_switched up_regress up_tap; do DB=$db q -c "SELECT extversion FROM pg_extension WHERE extname = 'dropskills_v2'"; done | sort -u)" \
   "$NEW_VERSION" "(a) ... at version $NEW_VERSION"

# (b) Targets at the current shape, rows intact, verified.
DB=up_fresh q -f test/upgrade/shape.sql >"$LOGS/shape-fresh.txt"
diverge=""
for db in up_migrated up_sync up_switched; do
    DB=$db q -f test/upgrade/shape.sql >"$LOGS/shape-$db.txt"
    cmp -s "$LOGS/shape-fresh.txt" "$LOGS/shape-$db.txt" || diverge="$diverge $db"
done
is "$diverge" "" "(b) every target has the shape of a fresh one (tables, columns, keys, indexes, policies, grants)"
for db in $diverge; do diff "$LOGS/shape-fresh.txt" "$LOGS/shape-$db.txt" | head -10 | sed 's/^/# /'; done
DB=up_migrated q -c "$ROWS" >"$LOGS/rows-after-up_migrated.txt"
is "$(comm -23 "$LOGS/rows-before-up_migrated.txt" "$LOGS/rows-after-up_migrated.txt" | tr '\n' ' ')" "" \
   "(b) the migrated target's rows are intact (every table as many rows as before)"
failing=$(for db in up_migrated up_sync up_switched; do
    DB=$db q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok"; done | tr '\n' ' ')
is "$failing" "0 0 0 " "(b) dskv2_verify_integrity() all ok on every target"
is "$(for db in up_sync up_switched; do DB=$db q -c "SELECT count(*) FROM dropskills_v2.migration_rejects WHERE reason LIKE 'sync_error%'"; done | tr '\n' ' ')" \
   "0 0 " "(b) no change failed to sync"

# (c) Every dskv2 trigger is still there, a member's, and fires.
missing=""
for db in up_migrated up_sync up_switched; do
    DB=$db q -c "$TRIGGERS" >"$LOGS/triggers-after-$db.txt"
    [ -n "$(comm -23 "$LOGS/triggers-before-$db.txt" "$LOGS/triggers-after-$db.txt")" ] && missing="$missing $db"
    [ "$(DB=$db q -c "$MEMBER_TRIGGERS")" = 0 ] || missing="$missing $db(non-member)"
done
is "$missing" "" "(c) every dskv2 trigger of the release still exists and points at a member function"
# Live sync, the sign-up path, the audit, the truncate and append-only guards fire.
sqlstate() {  # sqlstate DB [ROLE] SQL: the SQLSTATE the statement fails with, or ok
    local role=${3:+$2} sql=${3:-$2} state
    state=$(psql -qXAt -d "$1" ${role:+-U "$role"} -v VERBOSITY=sqlstate -c "$sql" 2>&1 >/dev/null | sed -n 's/^ERROR: *//p')
    echo "${state:-ok}"
}
DB=up_sync q -c "UPDATE public.products SET title = 'Après la mise à jour' WHERE id = (SELECT id FROM public.products WHERE price >= 0 ORDER BY id LIMIT 1)" \
   -c "INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000aa', 'apres-maj@example.test', now())" \
   -c "UPDATE dropskills_v2.categories SET icon = 'maj' WHERE id = (SELECT min(id) FROM dropskills_v2.categories)" >/dev/null
fired=$(DB=up_sync q -c "SELECT (SELECT count(*) FROM dropskills_v2.packs WHERE title = 'Après la mise à jour') || ' '
                                || (SELECT count(*) FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000aa') || ' '
                                || (SELECT count(*) > 0 FROM dropskills_v2.admin_logs WHERE source = 'trigger' AND table_name = 'categories')")
is "$fired" "1 1 true" "(c) live sync, the sign-up path and the audit trigger fire"
is "$(sqlstate up_sync "TRUNCATE public.tags")/$(sqlstate up_sync "DELETE FROM dropskills_v2.admin_logs")" "55000/42501" \
   "(c) live sync's TRUNCATE guard and admin_logs' append-only guard fire"
DB=up_switched q -c "INSERT INTO auth.users (id, email, created_at) VALUES ('00000000-0000-4000-8000-0000000000ab', 'apres-bascule@example.test', now())" >/dev/null
is "$(sqlstate up_switched legacy_app "DELETE FROM public.favorites WHERE id = (SELECT min(id) FROM public.favorites)")/$(DB=up_switched q -c "SELECT count(*) FROM dropskills_v2.users WHERE id = '00000000-0000-4000-8000-0000000000ab'")" \
   "25006/1" "(c) switched: the guards and the sign-up path fire"

# (e) The suites on the upgraded database.
REGRESS_TESTS=$(sed -n 's/^REGRESS = //p' Makefile | sed 's/\binstall\b//')
make -s installcheck REGRESS="$REGRESS_TESTS" \
     REGRESS_OPTS="--inputdir=. --outputdir=$WORK/regress --use-existing --dbname=up_regress" >"$LOGS/regress.log" 2>&1
rc=$?
ok $rc "(e) pg_regress passes on the upgraded database"
[ $rc -eq 0 ] || { tail -15 "$LOGS/regress.log" | sed 's/^/# /'; head -40 "$WORK/regress/regression.diffs" 2>/dev/null | sed 's/^/# /'; }
PGDATABASE=up_tap pg_prove --ext .sql test/ >"$LOGS/pgtap.log" 2>&1
rc=$?
ok $rc "(e) pgTAP passes on the upgraded database"
[ $rc -eq 0 ] || grep -v '^ok\|^t/' "$LOGS/pgtap.log" | tail -20 | sed 's/^/# /'
finish
