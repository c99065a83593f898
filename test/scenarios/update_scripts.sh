#!/usr/bin/env bash
# The rules of the update chain (CONTRIBUTING.md, "The update chain"), on the
# scripts this build installs: no CASCADE in an update script (outside routine
# bodies); a routine of a released version whose signature or kind is gone is
# dropped explicitly in the hand-written changes of the release; every update
# script ends with the complete privileges block and the trust gate; and each released version,
# updated, has exactly the members of a fresh install. (make upgradecheck does
# the same with the release's own library, live.)
source "$(dirname "$0")/tap.bash"
cd "$ROOT"
RELEASES=$(sed -n 's/^\([0-9][0-9.]*\) .*/\1/p' extension/releases)
CURRENT=$(sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1)
SHARE=$(pg_config --sharedir)/extension
mkdir -p "$ROOT/.run"
plan $(( 1 + 3 * $(echo "$RELEASES" | wc -w) ))

# Statements outside dollar-quoted bodies and comments.
top_level() { perl -0777 -pe 's/\$(\w*)\$.*?\$\1\$//gs; s/--[^\n]*//g' "$1"; }
cascades=""
for f in "$SHARE"/dropskills_v2--*--"$CURRENT".sql src/sql/updates/*.sql; do
    top_level "$f" | grep -qiw cascade && cascades="$cascades $(basename "$f")"
done
is "$cascades" "" "no CASCADE in an update script or a release's changes (outside routine bodies)"

members() {  # members DB: routine signature and kind of every member routine
    psql -qXAt -d "$1" -c "SELECT p.oid::regprocedure || ' ' || p.prokind::text FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dropskills_v2' ORDER BY 1"
}
for db in dskv2_upd_fresh dskv2_upd_old; do
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
done
psql -qX -d dskv2_upd_fresh -c "CREATE EXTENSION dropskills_v2" >/dev/null
members dskv2_upd_fresh >"$ROOT/.run/members-fresh.txt"
for old in $RELEASES; do
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS dskv2_upd_old" -c "CREATE DATABASE dskv2_upd_old" >/dev/null 2>&1
    psql -qX -d dskv2_upd_old -c "CREATE EXTENSION dropskills_v2 VERSION '$old'" >/dev/null
    members dskv2_upd_old >"$ROOT/.run/members-$old.txt"
    changes=$(sed -n "/^-- src\/sql\/updates\//,\$p" "$SHARE/dropskills_v2--$old--$CURRENT.sql")
    undropped=""
    while read -r routine kind; do
        grep -qxF "$routine $kind" "$ROOT/.run/members-fresh.txt" && continue
        name=${routine%%(*}
        echo "$changes" | grep -qiE "^DROP (FUNCTION|PROCEDURE) @extschema@\.$name\(" || undropped="$undropped $routine"
    done <"$ROOT/.run/members-$old.txt"
    is "$undropped" "" "$old -> $CURRENT: every routine gone or changed in signature or kind is dropped explicitly"
    expected_tail=$(cat src/sql/privileges.sql; printf '\n-- %s\n' src/sql/update_gate.sql; cat src/sql/update_gate.sql)
    tail_block=$(tail -n "$(printf '%s\n' "$expected_tail" | wc -l)" "$SHARE/dropskills_v2--$old--$CURRENT.sql")
    [ "$tail_block" = "$expected_tail" ]
    ok $? "$old -> $CURRENT: the update script ends with the complete privileges block, then the trust gate"
    psql -qX -d dskv2_upd_old -c "SET client_min_messages = warning" -c "ALTER EXTENSION dropskills_v2 UPDATE" >/dev/null
    is "$(members dskv2_upd_old | md5sum)" "$(md5sum <"$ROOT/.run/members-fresh.txt")" \
       "$old -> $CURRENT: ALTER EXTENSION UPDATE gives the routines of a fresh install"
done
psql -qX -d postgres -c "DROP DATABASE dskv2_upd_old" -c "DROP DATABASE dskv2_upd_fresh" >/dev/null 2>&1
finish
