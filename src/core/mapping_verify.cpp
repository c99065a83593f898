// The verification's statement (docs/verification.md): every check in ONE
// statement, so that they all see one snapshot. Which tables, keys, slugs and
// identities are checked comes from the catalogue.
#include "core/errors.hpp"
#include "core/mapping.hpp"
#include "core/mapping_internal.hpp"

namespace dskv2::core {
namespace {

using detail::QuoteLiteral;

// V2 rows that came from legacy: those carrying the table's provenance column.
std::string V2FromLegacy(const TableMapping& m, const SqlNames& names) {
    return "(SELECT count(*) FROM " + detail::TargetTable(m, names) + " v WHERE v." + std::string(m.table->provenance) +
           " IS NOT NULL)";
}

// The legacy rows a mapping reads, counted from the legacy tables: its
// primary relation's rows, and the rows of its other relations that have no
// primary row (an orphan profile is a row of the users mapping).
std::string LegacyCount(const TableMapping& m, const SqlNames& names) {
    const LegacyTable& primary = *m.primary;
    std::string sql = "((SELECT count(*) FROM " + primary.Qualified(names.source) + ")";
    for (std::size_t i = 1; i < m.relations.size(); ++i) {
        const LegacyTable* other = FindLegacyTable(m.relations[i].table);
        sql += " + (SELECT count(*) FROM " + other->Qualified(names.source) + " o WHERE NOT EXISTS (SELECT 1 FROM " +
               primary.Qualified(names.source) + " p WHERE p." + detail::QuoteIdent(primary.key) + " = o." +
               detail::QuoteIdent(other->key) + "))";
    }
    return sql + ")";
}

// The first max_keys of the keys `k` of a FROM item, and their count.
std::string CountAndFirstKeys(const std::string& from, const std::string& key, int max_keys) {
    return "(SELECT count(*) AS n, (array_agg(f.k ORDER BY f.k) FILTER (WHERE f.r <= " + std::to_string(max_keys) +
           ")) AS keys FROM (SELECT " + key + " AS k, row_number() OVER (ORDER BY " + key + ") AS r FROM " + from +
           ") f)";
}

// Mapping-aware content comparison of one mapping: per key, the legacy row as
// it maps to V2 against the V2 row that came from it, column by column (IS
// DISTINCT FROM: NULL and '' differ, numerics and instants compare by value;
// slugs and bookkeeping columns excluded, quarantined keys on neither side).
// Yields one row (n, keys): how many keys differ, and the first max_keys.
std::string ContentDiff(const TableMapping& m, const SqlNames& names, const SourceColumns& columns, int max_keys) {
    const std::string mapped = MappedRowsSql(m, names, columns, RowSet::kAll, ParentMode::kTarget);
    // Every quarantined key of a mapping is filed under the mapping's name.
    // NOT IN over a NOT NULL column: always a hashed subplan, never a probe per row.
    const std::string not_quarantined = "m._key NOT IN (SELECT rj.source_key FROM " + names.target +
                                        ".migration_rejects rj WHERE rj.source_table = " + QuoteLiteral(m.name) + ")";
    if (m.merge == Merge::kNone) {
        std::string legacy_cols = "m._o2 AS k";
        std::string v2_cols = "v." + std::string(m.target_key) + " AS k";
        std::string differs;
        for (std::string_view c : MappedColumns(m, names)) {
            if (c == m.target_key) continue;
            const std::string col(c);
            legacy_cols += ", m." + col + " AS c_" + col;
            v2_cols += ", v." + col + " AS c_" + col;
            differs += (differs.empty() ? "" : " OR ") + std::string("legacy_rows.c_") + col +
                       " IS DISTINCT FROM v2_rows.c_" + col;
        }
        // Values kept apart (pack_files): compared as if on the row (a missing side row reads NULL).
        for (const detail::SideColumn& sc : detail::SideColumns(m, names)) {
            const std::string col(sc.column);
            legacy_cols += ", m." + col + " AS c_" + col;
            v2_cols += ", (SELECT f." + col + " FROM " + names.target + "." + std::string(sc.table->name) +
                       " f WHERE f." + std::string(sc.table->side_key) + " = v." + std::string(m.target_key) +
                       ") AS c_" + col;
            differs += " OR legacy_rows.c_" + col + " IS DISTINCT FROM v2_rows.c_" + col;
        }
        // Secret-like unknown columns: compared with what legacy_secrets holds
        // (only the differing keys are ever recorded, never a value).
        if (detail::WritesSecrets(m, names, columns)) {
            legacy_cols += ", m._secrets AS c__secrets";
            v2_cols += ", " + detail::StoredSecrets(m, names, columns, "v." + std::string(m.target_key) + "::text") +
                       " AS c__secrets";
            differs += " OR legacy_rows.c__secrets IS DISTINCT FROM v2_rows.c__secrets";
        }
        const std::string legacy_side =
            "SELECT " + legacy_cols + " FROM (" + mapped + ") m WHERE m._reason IS NULL AND " + not_quarantined;
        const std::string v2_side = "SELECT " + v2_cols + " FROM " + detail::TargetTable(m, names) + " v WHERE v." +
                                    std::string(m.table->provenance) + " IS NOT NULL";
        return CountAndFirstKeys(
            "(" + legacy_side + ") legacy_rows FULL JOIN (" + v2_side +
                ") v2_rows ON v2_rows.k = legacy_rows.k WHERE legacy_rows.k IS NULL OR v2_rows.k IS "
                "NULL OR " +
                differs,
            "COALESCE(legacy_rows.k, v2_rows.k)::text", max_keys);
    }
    // The first row of each pair in processing order (created_at NULLS LAST):
    // the earliest created_at, and the legacy jsonb the V2 row kept.
    const detail::GroupSides sides = detail::GroupComparison(m, names, "(" + mapped + ") m", not_quarantined);
    return CountAndFirstKeys("(" + sides.legacy + ") legacy_rows FULL JOIN (" + sides.v2 +
                                 ") v2_rows ON v2_rows.k1 = legacy_rows.k1 AND v2_rows.k2 = legacy_rows.k2 WHERE "
                                 "legacy_rows.k1 IS NULL OR v2_rows.k1 IS NULL OR legacy_rows.c1 IS DISTINCT FROM "
                                 "v2_rows.c1 OR legacy_rows.c2 IS DISTINCT FROM v2_rows.c2",
                             "jsonb_build_array(COALESCE(legacy_rows.k1, v2_rows.k1), COALESCE(legacy_rows.k2, "
                             "v2_rows.k2))::text",
                             max_keys);
}

}  // namespace

std::string VerifySql(const SqlNames& names, const SourceColumns& columns, int max_keys) {
    const std::string& tgt = names.target;
    const std::string limit = std::to_string(max_keys);
    std::vector<std::string> rows;
    // Conservation per legacy table, recounted from the tables themselves.
    for (const TableMapping& m : Mappings()) {
        CheckRunnable(m, columns);
        const std::string src = QuoteLiteral(m.name);
        const std::string merged =
            "(SELECT count(*) FROM " + tgt + ".migration_merges x WHERE x.source_table = " + src + ")";
        const std::string quarantined =
            "(SELECT count(*) FROM " + tgt + ".migration_rejects x WHERE x.source_table = " + src + ")";
        // Each count once: OFFSET 0 keeps the subquery from being pulled up, which
        // would run its counts again for every column that names them.
        rows.push_back("SELECT 'conservation'::text, " + src +
                       "::text, c.l = c.v + c.m + c.q, c.l, c.v + c.m + c.q, format('%s legacy rows = %s in V2 + %s "
                       "merged + %s quarantined', c.l, c.v, c.m, c.q), NULL::text[] FROM (SELECT " +
                       LegacyCount(m, names) + "::bigint AS l, " + V2FromLegacy(m, names) + "::bigint AS v, " + merged +
                       "::bigint AS m, " + quarantined + "::bigint AS q OFFSET 0) c");
    }
    // Content checksum per V2 table.
    for (const TableMapping& m : Mappings()) {
        rows.push_back("SELECT 'content_checksum'::text, " + QuoteLiteral(m.target) +
                       "::text, d.n = 0, 0::bigint, d.n, CASE WHEN d.n = 0 THEN 'every row from legacy matches its "
                       "legacy row as mapped' ELSE format('%s keys differ (legacy as mapped vs V2), first: %s', d.n, "
                       "array_to_string(d.keys, ', ')) END, d.keys FROM " +
                       ContentDiff(m, names, columns, max_keys) + " d");
    }
    // Foreign keys between V2 tables without orphans (the tables of the target's shape).
    const int shape = names.Shape();
    for (const V2Table& t : V2Tables()) {
        if (t.since > shape) continue;
        for (const ForeignKey& fk : t.foreign_keys) {
            const V2Table* parent = FindV2Table(fk.parent);
            if (parent == nullptr) continue;  // outside the target (auth.users)
            const std::string c = "c." + std::string(fk.column);
            const std::string orphans = "SELECT " + c + "::text AS k FROM " + tgt + "." + std::string(t.name) +
                                        " c WHERE " + c + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + tgt + "." +
                                        std::string(parent->name) + " p WHERE p." + std::string(fk.parent_column) +
                                        " = " + c + ")";
            rows.push_back("SELECT 'fk_orphans'::text, " + QuoteLiteral(t.name) +
                           "::text, o.n = 0, 0::bigint, o.n, format('%s.%s -> %s: %s orphans', " +
                           QuoteLiteral(t.name) + ", " + QuoteLiteral(fk.column) + ", " + QuoteLiteral(parent->name) +
                           ", o.n), o.keys FROM (SELECT count(*) AS n, (array_agg(z.k ORDER BY z.k))[1:" + limit +
                           "] AS keys FROM (" + orphans + ") z) o");
        }
    }
    // Slugs: unique and well formed.
    for (const V2Table& t : V2Tables()) {
        if (t.slug_column.empty()) continue;
        const std::string table = tgt + "." + std::string(t.name);
        const std::string slug(t.slug_column);
        rows.push_back("SELECT 'slug_unique'::text, " + QuoteLiteral(t.name) +
                       "::text, d.n = 0, 0::bigint, d.n, format('%s duplicated slugs', d.n), d.keys FROM (SELECT "
                       "count(*) AS n, (array_agg(z.slug ORDER BY z.slug))[1:" +
                       limit + "] AS keys FROM (SELECT " + slug + "::text AS slug FROM " + table + " WHERE " + slug +
                       " IS NOT NULL GROUP BY " + slug + " HAVING count(*) > 1) z) d");
        rows.push_back("SELECT 'slug_format'::text, " + QuoteLiteral(t.name) +
                       "::text, d.n = 0, 0::bigint, d.n, format('%s slugs outside ^[a-z0-9]+(-[a-z0-9]+)*$', d.n), "
                       "d.keys FROM (SELECT count(*) AS n, (array_agg(z.slug ORDER BY z.slug))[1:" +
                       limit + "] AS keys FROM (SELECT " + slug + "::text AS slug FROM " + table + " WHERE " + slug +
                       " IS NOT NULL AND " + slug + " !~ '^[a-z0-9]+(-[a-z0-9]+)*$') z) d");
    }
    // E-mails: unique case-insensitively.
    rows.push_back(
        "SELECT 'email_unique'::text, 'users'::text, d.n = 0, 0::bigint, d.n, format('%s e-mails used more "
        "than once', d.n), d.keys FROM (SELECT count(*) AS n, (array_agg(z.e ORDER BY z.e))[1:" +
        limit + "] AS keys FROM (SELECT lower(email) AS e FROM " + tgt +
        ".users WHERE email IS NOT NULL GROUP BY 1 HAVING count(*) > 1) z) d");
    // Identities past the legacy ids: the next V2 id is above every legacy id.
    for (const V2Table& t : V2Tables()) {
        if (t.identity_legacy.empty()) continue;
        const LegacyTable* legacy = FindLegacyTable(t.identity_legacy);
        const std::string id(t.identity);
        rows.push_back("SELECT 'sequence'::text, " + QuoteLiteral(t.name) +
                       "::text, q.nxt > q.mx, q.mx, q.nxt, format('next V2 id %s, legacy max id %s', q.nxt, q.mx), "
                       "NULL::text[] FROM (SELECT (SELECT COALESCE(max(" +
                       detail::QuoteIdent(legacy->key) + "), 0) FROM " + legacy->Qualified(names.source) +
                       ")::bigint AS mx, (SELECT CASE WHEN s.is_called THEN "
                       "s.last_value + 1 ELSE s.last_value END FROM " +
                       tgt + "." + std::string(t.name) + "_" + id + "_seq s)::bigint AS nxt OFFSET 0) q");
    }
    std::string sql;
    for (const std::string& r : rows) {
        if (!sql.empty()) sql += "\nUNION ALL\n";
        sql += r;
    }
    return sql;
}

}  // namespace dskv2::core
