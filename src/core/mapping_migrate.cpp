// The migration's statements (docs/architecture.md, "The SQL generator"):
// the mapped rows, the set-based migration of a row set (one statement with
// data-modifying CTEs: the quarantine, the V2 rows, the merges), a batched
// run's stage, and the dry run.
#include "core/errors.hpp"
#include "core/mapping.hpp"
#include "core/mapping_internal.hpp"

namespace dskv2::core {

using detail::Context;

std::string MappedRowsSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns, RowSet rows,
                          ParentMode parents) {
    CheckRunnable(mapping, columns);
    const Context ctx{mapping, names, columns, rows, parents, {}};
    return detail::Expand(mapping.mapped, ctx);
}

namespace {

// The V2 rows of a by-slug merge: one tag per new slug, numbered in
// processing order (so batched and one-transaction runs number them alike),
// then each accepted row's (pack, tag) pair, written once, and the merges.
std::string BySlugWriter(const TableMapping& mapping, const SqlNames& names, const std::string& run) {
    const std::string& tgt = names.target;
    const V2Table& t = *mapping.table;
    const std::string table = detail::TargetTable(mapping, names);
    const std::string a(t.pair.a), b(t.pair.b), key(mapping.target_key);
    const V2Table* slug_table = &detail::SlugTableOf(mapping);
    const std::string tag_table = tgt + "." + std::string(slug_table->name);
    const std::string slug(slug_table->slug_column);
    return "accepted AS MATERIALIZED (SELECT * FROM mapped WHERE mapped._reason IS NULL),\n"
           "new_tags AS (INSERT INTO " +
           tag_table + " (name, " + slug +
           ", migration_run_id)\n"
           "  SELECT d._name, d._slug_base, " +
           run +
           " FROM (SELECT DISTINCT ON (accepted._slug_base COLLATE \"C\") accepted._name, accepted._slug_base, "
           "accepted._o1, accepted._o2 FROM accepted ORDER BY accepted._slug_base COLLATE \"C\", accepted._o1 NULLS "
           "LAST, accepted._o2) d\n"
           // Only slugs not taken yet: a conflicting row would still use up an id.
           "  WHERE NOT EXISTS (SELECT 1 FROM " +
           tag_table + " et WHERE et." + slug +
           " = d._slug_base)"
           " ORDER BY d._o1 NULLS LAST, d._o2\n"
           "  ON CONFLICT (" +
           slug + ") DO NOTHING RETURNING id, " + slug +
           "),\n"
           "tag_ids AS (SELECT new_tags.id, new_tags." +
           slug + " FROM new_tags UNION ALL SELECT t.id, t." + slug + " FROM " + tag_table + " t WHERE t." + slug +
           " IN (SELECT accepted._slug_base FROM accepted)),\n"
           "tagged AS MATERIALIZED (SELECT accepted.*, tag_ids.id AS tag_id FROM accepted JOIN tag_ids ON tag_ids." +
           slug +
           " = accepted._slug_base),\n"
           "written AS (INSERT INTO " +
           table + " (" + a + ", " + b + ", legacy, " + key +
           ", migration_run_id)\n"
           "  SELECT DISTINCT ON (tagged." +
           a + ", tagged.tag_id) tagged." + a +
           ", tagged.tag_id, tagged.legacy, "
           "tagged._key::integer, " +
           run + " FROM tagged ORDER BY tagged." + a +
           ", tagged.tag_id, tagged._o1 NULLS "
           "LAST, tagged._o2\n"
           "  ON CONFLICT (" +
           a + ", " + b + ") DO NOTHING RETURNING " + key +
           "),\n"
           "merged AS (INSERT INTO " +
           tgt +
           ".migration_merges (source_table, source_key, target_key, run_id)\n"
           "  SELECT " +
           detail::QuoteLiteral(mapping.name) + ", tagged._key, jsonb_build_array(tagged." + a +
           "::text, tagged.tag_id::text)::text, " + run +
           " FROM tagged WHERE tagged._key::integer NOT IN (SELECT "
           "written." +
           key +
           " FROM written)\n"
           "  ON CONFLICT (source_table, source_key) DO NOTHING RETURNING 1)";
}

// A by-pair merge: one V2 row per pair, the earliest created_at wins (also
// when a later run brings an earlier duplicate); the other rows are merges.
std::string ByPairWriter(const TableMapping& mapping, const SqlNames& names, const std::string& run) {
    const std::string& tgt = names.target;
    const V2Table& t = *mapping.table;
    const std::string table = detail::TargetTable(mapping, names);
    const std::string a(t.pair.a), b(t.pair.b), key(mapping.target_key);
    return "accepted AS MATERIALIZED (SELECT * FROM mapped WHERE mapped._reason IS NULL),\n"
           "written AS (INSERT INTO " +
           table + " AS f (" + a + ", " + b + ", created_at, legacy, " + key +
           ", migration_run_id)\n"
           "  SELECT DISTINCT ON (accepted." +
           a + ", accepted." + b + ") accepted." + a + ", accepted." + b +
           ", accepted.created_at, accepted.legacy, accepted._key::integer, " + run +
           " FROM accepted ORDER BY accepted." + a + ", accepted." + b +
           ", accepted._o1 NULLS LAST, accepted._o2\n"
           "  ON CONFLICT (" +
           a + ", " + b +
           ") DO UPDATE SET created_at = EXCLUDED.created_at\n"
           "    WHERE EXCLUDED.created_at < f.created_at OR (f.created_at IS NULL AND EXCLUDED.created_at IS NOT "
           "NULL)\n"
           "  RETURNING f." +
           key +
           ", (f.xmax = 0) AS inserted),\n"
           "merged AS (INSERT INTO " +
           tgt +
           ".migration_merges (source_table, source_key, target_key, run_id)\n"
           "  SELECT " +
           detail::QuoteLiteral(mapping.name) + ", accepted._key, jsonb_build_array(accepted." + a +
           "::text, accepted." + b + "::text)::text, " + run +
           " FROM accepted WHERE accepted._key::integer NOT IN "
           "(SELECT written." +
           key +
           " FROM written WHERE written.inserted)\n"
           "  ON CONFLICT (source_table, source_key) DO NOTHING RETURNING 1)";
}

}  // namespace

std::string MigrateSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns, RowSet rows,
                       std::int64_t run_id) {
    const Context ctx{mapping, names, columns, rows, ParentMode::kTarget, {}};
    const std::string run = detail::Run(run_id);
    std::string rows_sql;
    if (rows == RowSet::kStaged) {
        // The staged rows of this batch that nothing (live sync) migrated since.
        CheckRunnable(mapping, columns);
        rows_sql = "SELECT st.* FROM pg_temp.dskv2_stage st WHERE st._seq > $1 AND st._seq <= $2 AND " +
                   detail::RowsPredicate(ctx, "st._o2");
    } else {
        rows_sql = MappedRowsSql(mapping, names, columns, rows, ParentMode::kTarget);
    }
    std::string sql =
        "WITH mapped AS MATERIALIZED (" + rows_sql + "),\n" + detail::QuarantineCte(ctx, "mapped", run_id) + ",\n";
    std::string written = "(SELECT count(*) FROM written)";
    std::string merged = "0::bigint";
    switch (mapping.merge) {
        case Merge::kNone: {
            // Only the slug allocator depends on the order rows are written in:
            // the accepted rows sorted, evaluated in that order above the sort.
            const std::string ordered =
                mapping.table->slug_allocated
                    ? std::string(
                          "(SELECT * FROM mapped WHERE mapped._reason IS NULL ORDER BY mapped._o1 NULLS "
                          "LAST, mapped._o2 OFFSET 0) x")
                    : std::string("(SELECT * FROM mapped WHERE mapped._reason IS NULL) x");
            // A batch loads only the slugs its stems can collide with (lazy); a
            // one-transaction run loads the column once. Keys are live sync's:
            // lazy, and serialised per stem.
            const detail::InsertLists ins = detail::InsertColumns(
                mapping, names, rows == RowSet::kKeys ? "true, true" : (rows == RowSet::kStaged ? "true" : "false"));
            sql += "written AS (INSERT INTO " + detail::TargetTable(mapping, names) + " (" + ins.columns +
                   "migration_run_id)\n  SELECT " + ins.values + run + " FROM " + ordered + "\n  RETURNING 1)";
            sql += detail::SideWrites(mapping, names, "mapped x");
            break;
        }
        case Merge::kBySlug:
            sql += BySlugWriter(mapping, names, run);
            merged = "(SELECT count(*) FROM merged)";
            break;
        case Merge::kByPair:
            sql += ByPairWriter(mapping, names, run);
            written = "(SELECT count(*) FROM written WHERE written.inserted)";
            merged = "(SELECT count(*) FROM merged)";
            break;
    }
    // Secret-like unknown columns: kept apart, per legacy row read.
    sql += detail::SecretsWrite(mapping, names, columns, "mapped x");
    if (rows == RowSet::kQuarantined) {
        sql += ",\nreleased AS (DELETE FROM " + names.target +
               ".migration_rejects r USING mapped WHERE mapped._reason IS NULL AND r.source_table = "
               "mapped._source AND r.source_key = mapped._key RETURNING 1)";
    }
    sql += "\nSELECT (SELECT count(*) FROM mapped)::bigint AS rows_read, " + written + "::bigint AS rows_written, " +
           merged +
           "::bigint AS rows_merged, (SELECT count(*) FROM quarantined)::bigint AS rows_rejected, "
           "(SELECT count(*) FROM mapped WHERE mapped._reason IS NULL AND mapped._warn)::bigint AS warnings";
    if (rows == RowSet::kQuarantined) sql += ", (SELECT count(*) FROM released)::bigint AS released";
    return sql;
}

std::string StageSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    return "SELECT row_number() OVER (ORDER BY m._o1 NULLS LAST, m._o2) AS _seq, m.* FROM (" +
           MappedRowsSql(mapping, names, columns, RowSet::kPending, ParentMode::kTarget) + ") m";
}

std::string PlanSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns) {
    return "SELECT COALESCE(sum(g.n), 0)::bigint AS pending,\n"
           "       COALESCE(sum(g.n) FILTER (WHERE g._reason IS NOT NULL), 0)::bigint AS predicted_rejects,\n"
           "       COALESCE(jsonb_object_agg(g._reason, g.n) FILTER (WHERE g._reason IS NOT NULL), '{}'::jsonb) "
           "AS reject_reasons\n"
           "FROM (SELECT m._reason, count(*) AS n FROM (" +
           MappedRowsSql(mapping, names, columns, RowSet::kPending, ParentMode::kPredicted) +
           ") m GROUP BY m._reason) g";
}

}  // namespace dskv2::core
