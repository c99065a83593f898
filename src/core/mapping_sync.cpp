// Live sync's statements (docs/switch.md): the complete statement of a set of
// keys, the one-key fast paths the trigger tries first, the unlinking of a
// merging mapping's groups, and the catch-up's keys.
#include "core/errors.hpp"
#include "core/mapping.hpp"
#include "core/mapping_internal.hpp"

namespace dskv2::core {
namespace {

using detail::Context;
using detail::QuoteLiteral;

void RequireMerge(const TableMapping& m, bool merging, const char* what) {
    if ((m.merge != Merge::kNone) != merging) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(m.name) + ": " + what + " is for " +
                                              (merging ? "merging" : "one-row") + " mappings");
    }
}

std::string KeyList(const TableMapping& m) {
    return "(SELECT bk::" + std::string(m.key_type) + " FROM unnest($1::text[]) AS bk)";
}

// Quarantine records of the keys $1 that the mapping no longer rejects.
std::string ReleaseCte(const TableMapping& m, const SqlNames& names) {
    return "released AS (DELETE FROM " + names.target +
           ".migration_rejects r WHERE r.source_table = " + QuoteLiteral(m.name) +
           " AND r.source_key = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM mapped WHERE mapped._key = "
           "r.source_key AND mapped._reason IS NOT NULL) RETURNING 1)";
}

// The mapped rows of live sync's fast paths, which the trigger runs for one key.
std::string MappedOneKey(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    CheckRunnable(mapping, columns);
    Context ctx{mapping, names, columns, RowSet::kSync, ParentMode::kTarget, {}};
    ctx.single_key = true;
    // Secret-like unknown columns: no fast path (no row, so the trigger runs
    // the complete statement, which keeps legacy_secrets in step).
    if (detail::WritesSecrets(mapping, names, columns)) {
        return "SELECT * FROM (" + detail::Expand(mapping.mapped, ctx) + ") no_fast_path WHERE false";
    }
    return detail::Expand(mapping.mapped, ctx);
}

// "the key also has a quarantine record": the fast paths return it per row
// written, so that the complete statement can release the record.
std::string QuarantinedKey(const TableMapping& m, const SqlNames& names, const std::string& key_text) {
    return "EXISTS (SELECT 1 FROM " + names.target +
           ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(m.name) +
           " AND rq.source_key = " + key_text + ") AS quarantined";
}

// `\nUNION SELECT` the migrated keys of `mapped m` whose secret values
// differ from what legacy_secrets holds ("" without secret-like columns);
// `migrated` joins or filters m to the keys already migrated, ending in
// WHERE or AND.
std::string SecretsDiffer(const TableMapping& m, const SqlNames& names, const SourceColumns& columns,
                          const std::string& migrated) {
    if (!detail::WritesSecrets(m, names, columns)) return "";
    return "\nUNION SELECT m._key FROM mapped m " + migrated + " m._reason IS NULL AND " +
           detail::StoredSecrets(m, names, columns, "m._key") + " IS DISTINCT FROM m._secrets";
}

}  // namespace

std::string SyncSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                    std::int64_t run_id) {
    RequireMerge(mapping, false, "SyncSql");
    const Context ctx{mapping, names, columns, RowSet::kSync, ParentMode::kTarget, {}};
    const std::string table = detail::TargetTable(mapping, names);
    const std::string tk = "v." + std::string(mapping.target_key);
    // A slug once assigned never changes: only new rows claim one, one
    // transaction at a time per stem (serialised), from the latest state.
    const detail::InsertLists ins = detail::InsertColumns(mapping, names, "true, true");
    const detail::UpdateLists upd = detail::UpdateColumns(mapping, names, "x");
    std::string sql = "WITH mapped AS MATERIALIZED (" +
                      MappedRowsSql(mapping, names, columns, RowSet::kSync, ParentMode::kTarget) + "),\n";
    sql += detail::QuarantineCte(ctx, "mapped", run_id) + ",\n" + ReleaseCte(mapping, names) + ",\n";
    sql += "updated AS (UPDATE " + table + " v SET " + upd.sets + " FROM mapped x WHERE x._reason IS NULL AND " + tk +
           " = x._o2 AND (" + upd.v2_cols + ") IS DISTINCT FROM (" + upd.mapped_cols + ") RETURNING 1),\n";
    sql += "written AS (INSERT INTO " + table + " (" + ins.columns + "migration_run_id)\n  SELECT " + ins.values +
           detail::Run(run_id) +
           " FROM (SELECT * FROM mapped WHERE mapped._reason IS NULL AND NOT EXISTS (SELECT 1 FROM " + table +
           " v WHERE " + tk + " = mapped._o2) ORDER BY mapped._o1 NULLS LAST, mapped._o2 OFFSET 0) x\n  RETURNING 1)" +
           detail::SideWrites(mapping, names, "mapped x") + detail::SecretsWrite(mapping, names, columns, "mapped x") +
           detail::SecretsGone(mapping, names, columns) + ",\n";
    // A deleted legacy row takes its V2 row along (V2's foreign keys act);
    // a rejected change keeps the last good V2 row, a rejected delete does not.
    sql += "deleted AS (DELETE FROM " + table + " v WHERE " + tk + " IN " + KeyList(mapping) + " AND v." +
           std::string(mapping.table->provenance) +
           " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mapped WHERE mapped._o2 = " + tk +
           " AND (mapped._reason IS NULL OR NOT $2::boolean)) RETURNING 1)\n";
    sql +=
        "SELECT (SELECT count(*) FROM mapped)::bigint AS rows_read, (SELECT count(*) FROM written)::bigint AS "
        "rows_written, (SELECT count(*) FROM updated)::bigint AS rows_updated, (SELECT count(*) FROM deleted)::bigint "
        "AS rows_deleted, (SELECT count(*) FROM quarantined)::bigint AS rows_rejected";
    return sql;
}

std::string SyncInsertSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                          std::int64_t run_id) {
    const std::string mapped = MappedOneKey(mapping, names, columns);
    const std::string run = detail::Run(run_id);
    const std::string table = detail::TargetTable(mapping, names);
    const std::string key(mapping.target_key);
    if (mapping.merge == Merge::kNone) {
        const detail::InsertLists ins = detail::InsertColumns(mapping, names, "true, true");
        // With side tables (pack_files), the mapped row once, for both writes.
        const detail::OneKeySource src = detail::OneKeyWithSides(mapping, names, mapped);
        return src.with + "INSERT INTO " + table + " AS v (" + ins.columns + "migration_run_id)\nSELECT " + ins.values +
               run + " FROM " + src.from + " x\nWHERE x._reason IS NULL AND NOT EXISTS (SELECT 1 FROM " + table +
               " e WHERE e." + key + " = x._o2)\nRETURNING " + QuarantinedKey(mapping, names, "v." + key + "::text");
    }
    const PairSpec& p = mapping.table->pair;
    const std::string a(p.a), b(p.b);
    const std::string not_linked = "NOT EXISTS (SELECT 1 FROM " + table + " e WHERE e." + key + " = x._key::integer)";
    if (mapping.merge == Merge::kByPair) {
        return "INSERT INTO " + table + " AS v (" + a + ", " + b + ", created_at, legacy, " + key +
               ", migration_run_id)\nSELECT x." + a + ", x." + b + ", x.created_at, x.legacy, x._key::integer, " + run +
               " FROM (" + mapped + ") x\nWHERE x._reason IS NULL AND " + not_linked + "\nON CONFLICT (" + a + ", " +
               b + ") DO NOTHING\nRETURNING " + QuarantinedKey(mapping, names, "v." + key + "::text");
    }
    const V2Table& slug_table = detail::SlugTableOf(mapping);
    return "INSERT INTO " + table + " AS v (" + a + ", " + b + ", legacy, " + key + ", migration_run_id)\nSELECT x." +
           a + ", t.id, x.legacy, x._key::integer, " + run + " FROM (" + mapped + ") x JOIN " + names.target + "." +
           std::string(slug_table.name) + " t ON t." + std::string(slug_table.slug_column) +
           " = x._slug_base\nWHERE x._reason IS NULL AND " + not_linked + "\nON CONFLICT (" + a + ", " + b +
           ") DO NOTHING\nRETURNING " + QuarantinedKey(mapping, names, "v." + key + "::text");
}

std::string SyncUpdateSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    RequireMerge(mapping, false, "SyncUpdateSql");
    const std::string tk = "v." + std::string(mapping.target_key);
    const detail::UpdateLists upd = detail::UpdateColumns(mapping, names, "x");
    const std::string mapped = MappedOneKey(mapping, names, columns);
    // Side rows (pack_files) are brought in line whether the main row changed
    // or not; a change of them alone writes no main row, and the unchanged
    // check that follows then finds everything in place.
    const detail::OneKeySource src = detail::OneKeyWithSides(mapping, names, mapped);
    return src.with + "UPDATE " + detail::TargetTable(mapping, names) + " v SET " + upd.sets + "\nFROM " + src.from +
           " x\nWHERE x._reason IS NULL AND " + tk + " = x._o2 AND (" + upd.v2_cols + ") IS DISTINCT FROM (" +
           upd.mapped_cols + ")\nRETURNING " + QuarantinedKey(mapping, names, "x._key");
}

std::string SyncUnchangedSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    RequireMerge(mapping, false, "SyncUnchangedSql");
    const detail::UpdateLists upd = detail::UpdateColumns(mapping, names, "x");
    return "SELECT count(*) = 1 AS unchanged FROM (" + MappedOneKey(mapping, names, columns) +
           ") x\nWHERE x._reason IS NULL AND EXISTS (SELECT 1 FROM " + detail::TargetTable(mapping, names) +
           " v WHERE v." + std::string(mapping.target_key) + " = x._o2 AND (" + upd.v2_cols +
           ") IS NOT DISTINCT FROM (" + upd.mapped_cols + "))" + detail::SideUnchanged(mapping, names, "x") +
           " AND NOT EXISTS (SELECT 1 FROM " + names.target +
           ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(mapping.name) +
           " AND rq.source_key = x._key)";
}

std::string SyncDeleteSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    RequireMerge(mapping, true, "SyncDeleteSql");
    const PairSpec& p = mapping.table->pair;
    const std::string key(mapping.target_key);
    const std::string no_fast_path = detail::WritesSecrets(mapping, names, columns) ? " AND false" : "";
    return "DELETE FROM " + detail::TargetTable(mapping, names) + " v WHERE v." + key +
           " = ANY ($1::text[]::integer[])" + no_fast_path + "\nAND NOT EXISTS (SELECT 1 FROM " + names.target +
           ".migration_merges mm WHERE mm.source_table = " + QuoteLiteral(mapping.name) +
           " AND mm.target_key = jsonb_build_array(v." + std::string(p.a) + "::text, v." + std::string(p.b) +
           "::text)::text)\nRETURNING " + QuarantinedKey(mapping, names, "v." + key + "::text");
}

std::string UnlinkSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                      std::int64_t run_id) {
    RequireMerge(mapping, true, "UnlinkSql");
    const Context ctx{mapping, names, columns, RowSet::kSync, ParentMode::kTarget, {}};
    const std::string& tgt = names.target;
    const PairSpec& p = mapping.table->pair;
    const std::string table = detail::TargetTable(mapping, names);
    const std::string a(p.a), b(p.b), key(mapping.target_key);
    const std::string a_type(p.a_type), b_type(p.b_type);
    const std::string src = QuoteLiteral(mapping.name);
    std::string sql = "WITH mapped AS MATERIALIZED (" +
                      MappedRowsSql(mapping, names, columns, RowSet::kSync, ParentMode::kTarget) + "),\n";
    // The secret values of deleted rows go now; kept rows' are written again
    // with their group (the migration of the keys).
    sql += detail::QuarantineCte(ctx, "mapped", run_id) + detail::SecretsGone(mapping, names, columns) + ",\n";
    // The keys whose group is rebuilt: all but rejected changes of rows whose
    // V2 group is still there (it keeps its last good version).
    sql +=
        "kept AS MATERIALIZED (SELECT mapped._key AS k FROM mapped WHERE mapped._reason IS NOT NULL AND NOT "
        "$2::boolean AND (EXISTS (SELECT 1 FROM " +
        table + " v WHERE v." + key + " = mapped._key::integer) OR EXISTS (SELECT 1 FROM " + tgt +
        ".migration_merges mm JOIN " + table + " v ON v." + a + " = (mm.target_key::jsonb ->> 0)::" + a_type +
        " AND v." + b + " = (mm.target_key::jsonb ->> 1)::" + b_type + " WHERE mm.source_table = " + src +
        " AND mm.source_key = mapped._key))),\n";
    sql += "moving AS MATERIALIZED (SELECT k FROM unnest($1::text[]) AS k WHERE k NOT IN (SELECT kept.k FROM kept)),\n";
    sql += "groups AS MATERIALIZED (SELECT v." + a + " AS k1, v." + b + " AS k2 FROM " + table + " v WHERE v." + key +
           " IN (SELECT moving.k::integer FROM moving)\n"
           "  UNION SELECT (mm.target_key::jsonb ->> 0)::" +
           a_type + ", (mm.target_key::jsonb ->> 1)::" + b_type + " FROM " + tgt +
           ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.source_key IN (SELECT moving.k FROM moving)),\n";
    sql += "members AS MATERIALIZED (SELECT v." + key + "::text AS k FROM " + table + " v JOIN groups ON v." + a +
           " = groups.k1 AND v." + b + " = groups.k2 WHERE v." + key +
           " IS NOT NULL\n"
           "  UNION SELECT mm.source_key FROM " +
           tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.target_key IN (SELECT jsonb_build_array(groups.k1::text, groups.k2::text)::text FROM groups)\n"
           "  UNION SELECT moving.k FROM moving),\n";
    sql += "unlinked AS (DELETE FROM " + table + " v USING groups WHERE v." + a + " = groups.k1 AND v." + b +
           " = groups.k2 AND v." + key + " IS NOT NULL RETURNING 1),\n";
    sql += "merges_released AS (DELETE FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.source_key IN (SELECT members.k FROM members) RETURNING 1),\n";
    sql +=
        "released AS (DELETE FROM " + tgt + ".migration_rejects r WHERE r.source_table = " + src +
        " AND r.source_key IN (SELECT moving.k FROM moving) AND NOT EXISTS (SELECT 1 FROM mapped WHERE mapped._key = "
        "r.source_key AND mapped._reason IS NOT NULL) RETURNING 1)\n";
    sql +=
        "SELECT ARRAY(SELECT members.k FROM members WHERE NOT EXISTS (SELECT 1 FROM mapped WHERE mapped._key = "
        "members.k AND mapped._reason IS NOT NULL) ORDER BY members.k) AS keys, (SELECT count(*) FROM "
        "unlinked)::bigint AS rows_unlinked, (SELECT count(*) FROM merges_released)::bigint AS merges_released, "
        "(SELECT count(*) FROM quarantined)::bigint AS rows_rejected, (SELECT count(*) FROM released)::bigint AS "
        "rows_released";
    return sql;
}

std::string ReconcileKeysSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    const std::string& tgt = names.target;
    const std::string src = QuoteLiteral(mapping.name);
    const std::string table = detail::TargetTable(mapping, names);
    const std::string key(mapping.target_key);
    std::string sql = "WITH mapped AS MATERIALIZED (" +
                      MappedRowsSql(mapping, names, columns, RowSet::kAll, ParentMode::kTarget) +
                      "),\nquarantine AS MATERIALIZED (SELECT rq.source_key FROM " + tgt +
                      ".migration_rejects rq WHERE rq.source_table = " + src + "),\n";
    // Merge and quarantine records of legacy rows that are gone.
    const std::string stale =
        "SELECT mm.source_key FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
        " AND NOT EXISTS (SELECT 1 FROM mapped m WHERE m._key = mm.source_key)\n"
        "UNION SELECT q.source_key FROM quarantine q WHERE NOT EXISTS (SELECT 1 FROM mapped m WHERE m._key = "
        "q.source_key)";
    const std::string not_quarantined = "NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source_key = m._key)";
    if (mapping.merge == Merge::kNone) {
        const detail::UpdateLists cmp = detail::UpdateColumns(mapping, names, "m");
        sql += "stale_keys AS (SELECT v." + key + "::text AS k FROM " + table + " v LEFT JOIN mapped m ON m._o2 = v." +
               key + " WHERE v." + std::string(mapping.table->provenance) +
               " IS NOT NULL AND (m._key IS NULL OR (m._reason IS NULL AND (" + cmp.v2_cols + ") IS DISTINCT FROM (" +
               cmp.mapped_cols + ")) OR (m._reason IS NOT NULL AND " + not_quarantined + "))\nUNION " + stale +
               SecretsDiffer(mapping, names, columns, "JOIN " + table + " v ON v." + key + " = m._o2 WHERE") + ")\n";
        return sql + "SELECT DISTINCT s.k FROM stale_keys s";
    }
    const PairSpec& p = mapping.table->pair;
    const std::string a(p.a), b(p.b);
    const detail::GroupSides sides = detail::GroupComparison(mapping, names, "mapped m", not_quarantined);
    // The V2 pairs of differing groups (the slug of a by-slug merge as its tag's id).
    std::string differing_pairs = "SELECT d.k1, d.k2 FROM differing d";
    std::string pair_of_mapped = "(m." + a + ", m." + b + ")";
    if (mapping.merge == Merge::kBySlug) {
        const V2Table& slug_table = detail::SlugTableOf(mapping);
        differing_pairs = "SELECT d.k1, t.id AS k2 FROM differing d JOIN " + tgt + "." + std::string(slug_table.name) +
                          " t ON t." + std::string(slug_table.slug_column) + " = d.k2";
        pair_of_mapped = "(m." + a + ", m._slug_base)";
    }
    // Rows already migrated (in V2 or merged) and the groups they are in.
    sql += "migrated AS MATERIALIZED (SELECT v." + key + "::text AS k FROM " + table + " v WHERE v." + key +
           " IS NOT NULL UNION SELECT mm.source_key FROM " + tgt +
           ".migration_merges mm WHERE mm.source_table = " + src + "),\n";
    sql += "differing AS MATERIALIZED (SELECT COALESCE(l.k1, r.k1) AS k1, COALESCE(l.k2, r.k2) AS k2 FROM (" +
           sides.legacy + ") l FULL JOIN (" + sides.v2 +
           ") r ON r.k1 = l.k1 AND r.k2 = l.k2 WHERE l.k1 IS NULL OR r.k1 IS NULL OR l.c1 IS DISTINCT FROM r.c1 OR "
           "l.c2 IS DISTINCT FROM r.c2),\n";
    sql += "differing_pairs AS MATERIALIZED (" + differing_pairs + "),\n";
    sql += "stale_keys AS (SELECT v." + key + "::text AS k FROM " + table + " v JOIN differing_pairs gp ON (v." + a +
           ", v." + b + ") = (gp.k1, gp.k2) WHERE v." + key +
           " IS NOT NULL\n"
           "UNION SELECT mm.source_key FROM " +
           tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.target_key IN (SELECT jsonb_build_array(gp.k1::text, gp.k2::text)::text FROM differing_pairs gp)\n"
           "UNION SELECT m._key FROM mapped m JOIN differing d ON " +
           pair_of_mapped +
           " = (d.k1, d.k2) WHERE m._key IN (SELECT migrated.k FROM migrated)\n"
           "UNION SELECT m._key FROM mapped m WHERE m._reason IS NOT NULL AND m._key IN (SELECT migrated.k FROM "
           "migrated) AND " +
           not_quarantined +
           "\n"
           "UNION " +
           stale + SecretsDiffer(mapping, names, columns, "WHERE m._key IN (SELECT migrated.k FROM migrated) AND") +
           ")\n";
    return sql + "SELECT DISTINCT s.k FROM stale_keys s";
}

}  // namespace dskv2::core
