#!/usr/bin/env bash
# Live transition under a real legacy write workload (fixtures/legacy_app.pgbench,
# run by pgbench as the application role): the batched migration runs while the
# app writes, live sync is turned on in the middle of it, and afterwards V2
# verifies and the app saw no error; turning sync off leaves both schemas as
# they are; concurrent inserts of one title get distinct slugs; the switch under
# load makes legacy writes fail with 25006 while sign-ups still reach V2.
# The DBA is postgres, not a superuser, as on Supabase: live sync needs the
# ownership of auth.users, which only supabase_admin can give it (docs/security.md,
# "Preflight"); until then dskv2_sync_enable refuses with 42501.
source "$(dirname "$0")/tap.bash"
plan 25
fresh_db dskv2_scen_sync S
qa -f "$ROOT/fixtures/legacy_app_setup.sql" >/dev/null 2>&1

# 0. As on Supabase: postgres is not a member of auth.users' owner. The preflight
#    says so and who can give it; live sync refuses before attaching anything.
q -c "SET client_min_messages = warning" -c "SELECT dskv2_create_schema()" >/dev/null 2>&1
is "$(q -c "SELECT string_agg(step || ' ' || object || ' ' || grantor || ' ' || statement, '; ' ORDER BY step) FROM dskv2_preflight() WHERE NOT ok")" \
   "cutover auth.users supabase_admin (superuser) GRANT supabase_auth_admin TO postgres;; sync auth.users supabase_admin (superuser) GRANT supabase_auth_admin TO postgres;" \
   "preflight as postgres: live sync and the switch lack only the ownership of auth.users, which supabase_admin can give"
out=$(psql -qXAt -d "$DB" -v VERBOSITY=verbose -c "SELECT dskv2_sync_enable()" 2>&1)
echo "$out" | grep -q "ERROR:  42501: dskv2: sync needs ownership .* on auth.users, which role postgres does not have"
ok $? "dskv2_sync_enable as postgres refuses with 42501"
is "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'dskv2_sync%'")" "0" "... and attaches no trigger"
# The step that needs supabase_admin on Supabase: the statement the preflight gave.
qa -c "GRANT supabase_auth_admin TO $DBA" >/dev/null
is "$(q -c "SELECT count(*) FROM dskv2_preflight() WHERE NOT ok")" "0" "once supabase_admin grants it, the preflight finds nothing missing"
NU=$(q -c "SELECT count(*) FROM legacy_app.users")
NP=$(q -c "SELECT count(*) FROM legacy_app.products")
PGBENCH=$(pg_config --bindir)/pgbench
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
workload() {  # workload LOGFILE pgbench-options...: the legacy app as legacy_app
    local log=$1; shift
    "$PGBENCH" -n -U legacy_app -D nusers="$NU" -D nproducts="$NP" -f "$ROOT/fixtures/legacy_app.pgbench" "$@" "$DB" >"$log" 2>&1
}
failed() { sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$1"; }
processed() { sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$1"; }

# 1. The app writes while CALL dskv2_migrate runs in small, slowed-down batches;
#    sync is turned on while the migration is half-way.
workload "$LOGS/a.log" -c 2 -j 2 -t 1500 &
app=$!
PGOPTIONS="-c dskv2.batch_pause_ms=20" psql -qXAt -d "$DB" -c "CALL dskv2_migrate('public', 'dropskills_v2', 150)" \
    >"$LOGS/call.log" 2>&1 &
call=$!
for _ in $(seq 1 600); do
    [ "$(q -c "SELECT count(*) FROM pg_namespace n WHERE n.nspname = 'dropskills_v2' AND to_regclass('dropskills_v2.migration_state') IS NOT NULL
                AND EXISTS (SELECT 1 FROM dropskills_v2.migration_state s WHERE s.source_table = 'products' AND s.status = 'running')" 2>/dev/null)" = 1 ] && break
    sleep 0.05
done
q -c "SELECT dskv2_sync_enable()" >"$LOGS/enable.log" 2>&1
ok $? "sync turns on while the batched migration runs and the app writes"
wait $call
ok $? "the batched migration completes"
wait $app
ok $? "the workload ran to its end"
is "$(failed "$LOGS/a.log")" "0" "the app saw no error (pgbench: 0 failed transactions)"
is "$(processed "$LOGS/a.log")" "3000" "... in all its 3,000 requests"
is "$(q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok")" "0" \
   "V2 verifies against legacy: every row written once, changes followed"
is "$(q -c "SELECT count(*) FROM dropskills_v2.migration_rejects WHERE reason = 'sync_error'")" "0" "no change failed to sync"
is "$(q -c "SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'trigger'")" "0" "sync and migration wrote no per-row audit"

# 2. Turning sync off changes neither schema.
before="$(digest dropskills_v2) $(q -c "SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) FROM public.products p")"
q -c "SELECT dskv2_sync_disable()" >/dev/null 2>&1
ok $? "sync turns off"
after="$(digest dropskills_v2) $(q -c "SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) FROM public.products p")"
is "$after" "$before" "... leaving V2 and legacy as they were"
is "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgname IN ('dskv2_sync', 'dskv2_sync_truncate')")" "0" "... and no sync trigger"

# 3. Sync back on (it catches up); 8 sessions insert the same title at once.
workload "$LOGS/b.log" -c 2 -j 2 -t 200
q -c "SELECT dskv2_sync_enable()" >/dev/null 2>&1
is "$(q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok")" "0" "turned on again, sync catches up on what changed meanwhile"
cat >"$LOGS/same.pgbench" <<'EOF'
INSERT INTO public.products (id, title, price, created_at) VALUES (gen_random_uuid(), 'Même Titre Partagé', 9, now());
EOF
"$PGBENCH" -n -U legacy_app -c 8 -j 2 -t 20 -f "$LOGS/same.pgbench" "$DB" >"$LOGS/same.log" 2>&1
is "$(failed "$LOGS/same.log")" "0" "160 concurrent inserts of one title all succeed"
is "$(q -c "SELECT count(DISTINCT slug) || ' ' || bool_and(slug = 'meme-titre-partage' OR substr(slug, 20)::int BETWEEN 2 AND 160)
             FROM dropskills_v2.packs WHERE title = 'Même Titre Partagé'")" "160 true" \
   "... and get 160 distinct slugs: the stem, then -2 to -160 (serialised, first free suffix)"
# 8 sessions add and remove favorites of 4 (user, product) pairs at once, some
# two in one statement: each pair's group is rebuilt one writer at a time.
cat >"$LOGS/fav.pgbench" <<'EOF'
\set u random(1, 2)
\set p random(1, 2)
\set r random(1, 3)
BEGIN;
SELECT u.id AS fu, p.id AS fp FROM legacy_app.users u, legacy_app.products p WHERE u.n = :u AND p.n = :p \gset
\if :r = 1
DELETE FROM public.favorites WHERE id = (SELECT min(id) FROM public.favorites WHERE user_id = ':fu' AND product_id = ':fp');
\elif :r = 2
INSERT INTO public.favorites (user_id, product_id, created_at) VALUES (':fu', ':fp', now() - random() * interval '1 day');
\else
INSERT INTO public.favorites (user_id, product_id, created_at)
VALUES (':fu', ':fp', now() - random() * interval '1 day'), (':fu', ':fp', now() - random() * interval '1 day');
\endif
COMMIT;
EOF
"$PGBENCH" -n -U legacy_app -c 8 -j 2 -t 60 -f "$LOGS/fav.pgbench" "$DB" >"$LOGS/fav.log" 2>&1
is "$(failed "$LOGS/fav.log")" "0" "480 concurrent favorite writes on 4 pairs all succeed"
is "$(q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok")/$(q -c "SELECT count(*) FROM dropskills_v2.migration_rejects WHERE reason = 'sync_error'")" "0/0" \
   "... and V2 verifies: one favorite per pair, with the earliest date and the merge records, no sync_error"

# 4. The switch while the app writes.
workload "$LOGS/c.log" -c 2 -j 2 -T 6 &
app=$!
sleep 2
q -c "SELECT step, ok FROM dskv2_cutover()" >"$LOGS/cutover.log" 2>&1
rc=$?
ok $rc "the switch runs under load"
[ $rc -eq 0 ] || sed 's/^/# /' "$LOGS/cutover.log"
is "$(grep -c '|f$' "$LOGS/cutover.log")" "0" "... and every step succeeds"
wait $app
grep -q "read-only since the switch" "$LOGS/c.log"; ok $? "legacy writes after the switch fail (25006, read-only)"
cat >"$LOGS/signup.pgbench" <<'EOF'
INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)
VALUES (gen_random_uuid(), 'after-switch-' || gen_random_uuid() || '@example.test', '{"full_name": "Après la bascule"}', now());
EOF
"$PGBENCH" -n -U legacy_app -c 2 -j 2 -t 25 -f "$LOGS/signup.pgbench" "$DB" >"$LOGS/signup.log" 2>&1
is "$(failed "$LOGS/signup.log")" "0" "sign-ups go on after the switch (their profile comes from the sign-up trigger)"
is "$(q -c "SELECT count(*) FROM dropskills_v2.users WHERE email LIKE 'after-switch-%' AND full_name = 'Après la bascule'")" "50" \
   "... and all 50 reach V2 users"
qa -c "REVOKE supabase_auth_admin FROM $DBA" >/dev/null  # roles are the cluster's: as Supabase again
finish
