#!/usr/bin/env bash
# Nothing lost: DROP EXTENSION ... CASCADE removes only the native triggers and
# leaves every other V2 object and row in place; dskv2_create_schema re-attaches
# the triggers as they were configured; pg_dump / pg_restore carry the target
# schema (rows, quarantine, run history, ownership marker, triggers) into a new
# database where dskv2 and its triggers keep working. The DBA, postgres (not a
# superuser), migrates, re-attaches and dumps; supabase_admin drops and creates
# the extension and restores (pg_restore creates the extension and gives auth's
# tables back to their owner), as on Supabase.
source "$(dirname "$0")/tap.bash"
plan 19
BIN=$(pg_config --bindir)
fresh_db dskv2_scen_lost S
q -c "SET client_min_messages = warning" -c "SELECT count(*) FROM dskv2_migrate_all()" \
  -c "SELECT dskv2_audit_enable('dropskills_v2.packs', ARRAY['updated_at'])" \
  -c "SELECT dskv2_ai_track('dropskills_v2.trending_ideas')" \
  -c "INSERT INTO dropskills_v2.ai_tools (slug, name) VALUES ('idees', 'Idées')" >/dev/null

# The dskv2 triggers on V2 tables, with their arguments.
triggers() {
    q -c "SELECT coalesce(string_agg(tgrelid::regclass || ' ' || tgname || ' ' || encode(tgargs, 'escape'), E'\n'
                                     ORDER BY tgrelid::regclass::text, tgname), '')
            FROM pg_trigger WHERE tgname LIKE 'dskv2%'"
}
# triggers_work: an update writes its audit row, a metered insert its ai_usage row.
triggers_work() {
    local audit_before usage_before
    audit_before=$(q -c "SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'trigger'")
    usage_before=$(q -c "SELECT count(*) FROM dropskills_v2.ai_usage")
    q -c "UPDATE dropskills_v2.ai_tools SET name = name || ' '" \
      -c "BEGIN" -c "SET LOCAL dskv2.ai_tool = 'idees'" \
      -c "INSERT INTO dropskills_v2.trending_ideas (title) VALUES ('Idée restaurée')" -c "COMMIT" >/dev/null 2>&1 &&
    [ "$(q -c "SELECT count(*) FROM dropskills_v2.admin_logs WHERE source = 'trigger'")" = "$((audit_before + 1))" ] &&
    [ "$(q -c "SELECT count(*) FROM dropskills_v2.ai_usage")" = "$((usage_before + 1))" ]
}
triggers_before=$(triggers)

# Every object of the target schema, and every table's row count.
catalog_snapshot() {
    q -c "SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
            SELECT 'rel ' || c.relname || ' ' || c.relkind::text FROM pg_class c WHERE c.relnamespace = 'dropskills_v2'::regnamespace
            UNION ALL SELECT 'col ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             WHERE c.relnamespace = 'dropskills_v2'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
             WHERE connamespace = 'dropskills_v2'::regnamespace
            UNION ALL SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'dropskills_v2'
            UNION ALL SELECT 'pol ' || tablename || ' ' || policyname FROM pg_policies WHERE schemaname = 'dropskills_v2') s(x)"
}
row_counts() {
    q -c "SELECT string_agg(c.relname || '=' || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I',
            n.nspname, c.relname), false, true, '')))[1]::text, ' ' ORDER BY c.relname)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'dropskills_v2' AND c.relkind = 'r'"
}
objects_before=$(catalog_snapshot)
[ ${#objects_before} -eq 32 ] && [ "$(triggers | wc -l)" -eq 18 ]
ok $? "the snapshots see the target's objects and its 18 triggers (audit, metering, quota ledger, append-only guard)"
rows_before=$(row_counts)
digest_before=$(digest dropskills_v2)
marker=$(q -c "SELECT obj_description('dropskills_v2'::regnamespace, 'pg_namespace')")

qa -c "DROP EXTENSION dropskills_v2 CASCADE" >/dev/null 2>&1
ok $? "DROP EXTENSION dropskills_v2 CASCADE succeeds"
is "$(triggers)" "" "it removes the native triggers"
is "$(catalog_snapshot)" "$objects_before" "every V2 table, column, constraint, index and policy survives it"
is "$(row_counts)" "$rows_before" "every V2 row survives it"
qa -c "CREATE EXTENSION dropskills_v2" >/dev/null 2>&1 && q -c "SELECT dskv2_create_schema()" >/dev/null 2>&1
ok $? "CREATE EXTENSION again, and dskv2_create_schema() on the surviving schema"
is "$(catalog_snapshot)" "$objects_before" "... which recreates nothing (idempotent, the marker still holds)"
is "$(triggers)" "$triggers_before" "... and re-attaches every trigger as configured (ignored columns, metered tables)"
is "$(q -c "SET client_min_messages = warning; SELECT sum(rows_read) FROM dskv2_migrate_all()")" "0" \
   "a migration after it finds nothing left to do (provenance survived)"
is "$(q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok")" "0" "verification passes after it"
triggers_work; ok $? "the re-attached triggers work: an audit row and an ai_usage row"
digest_before=$(digest dropskills_v2)

# pg_dump / pg_restore into a new database.
DUMP=$(mktemp -d)/lost.dump
"$BIN/pg_dump" -Fc -d "$DB" -f "$DUMP"
psql -qX -U "$ADMIN" -d postgres -c "DROP DATABASE IF EXISTS dskv2_scen_restored" -c "CREATE DATABASE dskv2_scen_restored" >/dev/null 2>&1
"$BIN/pg_restore" -U "$ADMIN" -d dskv2_scen_restored "$DUMP" 2>"$DUMP.log"
# The fixture's orphan profiles (written with replication role, as legacy
# databases hold them) break the legacy profiles -> auth.users key on restore;
# nothing else may fail.
errors=$(grep -c "^pg_restore: error" "$DUMP.log")
grep -q 'constraint "profiles_id_fkey"' "$DUMP.log" && [ "$errors" -le 1 ] && ! grep -q dropskills_v2 "$DUMP.log"
ok $? "pg_restore into a new database: no error in the target schema (only the legacy orphan-profile key)"
DB=dskv2_scen_restored
# pg_restore creates the extension before it restores the default privileges on
# `extensions`, so the EXECUTE grants postgres had through them are not there:
# supabase_admin grants them again, as the README says ("Restoring a dump" in Exposing V2 to the API).
qa -c "DO \$\$ DECLARE r regprocedure; BEGIN
        FOR r IN SELECT d.objid::regprocedure FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                  WHERE e.extname = 'dropskills_v2' AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e' LOOP
            EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO postgres', r);
        END LOOP; END \$\$" -c "GRANT SELECT ON dskv2_progress TO postgres" >/dev/null
is "$(digest dropskills_v2)" "$digest_before" "every V2 row, the quarantine and the merges are restored"
is "$(q -c "SELECT string_agg(mode || ':' || status, ',' ORDER BY id) FROM dropskills_v2.migration_runs")" \
   "atomic:completed,atomic:completed" "the run history is restored"
is "$(q -c "SELECT obj_description('dropskills_v2'::regnamespace, 'pg_namespace')")" "$marker" "the ownership marker holds"
is "$(q -c "SET client_min_messages = warning; SELECT sum(rows_read) FROM dskv2_migrate_all()")" "0" \
   "dskv2 works on the restored schema: nothing left to migrate"
is "$(q -c "SELECT count(*) FROM dskv2_verify_integrity() WHERE NOT ok")" "0" "verification passes on the restored database"
is "$(triggers)" "$triggers_before" "the triggers are restored"
triggers_work; ok $? "... and work in the restored database"
finish
