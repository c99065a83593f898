// The SQL generator's common parts (docs/architecture.md, "The SQL
// generator"): the template expander of mapping_rules.cpp, the builders the
// statement families share, drift, and the statement names of
// dskv2_mapping_sql().
#include "core/audit.hpp"
#include "core/errors.hpp"
#include "core/mapping.hpp"
#include "core/mapping_internal.hpp"
#include "core/quoting.hpp"

#include <algorithm>

namespace dskv2::core {
namespace detail {
namespace {

const std::vector<std::string>* ColumnsOf(const SourceColumns& columns, const LegacyTable& table) {
    auto it = columns.find(table.Key());
    return it == columns.end() ? nullptr : &it->second;
}

bool Has(const std::vector<std::string>& columns, std::string_view name) {
    return std::find(columns.begin(), columns.end(), name) != columns.end();
}

const LegacyTable& RelationByAlias(const TableMapping& mapping, std::string_view alias) {
    for (const RelationSpec& r : mapping.relations) {
        if (r.alias == alias) {
            const LegacyTable* table = FindLegacyTable(r.table);
            if (table != nullptr) return *table;
        }
    }
    throw Error(ErrorCode::kInternal,
                "dskv2 mapping " + std::string(mapping.name) + ": unknown alias " + std::string(alias));
}

std::string ColumnRef(const Context& ctx, std::string_view arg) {
    const std::size_t dot = arg.find('.');
    const std::string_view alias = arg.substr(0, dot);
    const std::string_view column = arg.substr(dot + 1);
    const LegacyTable& table = RelationByAlias(ctx.mapping, alias);
    const LegacyColumn* spec = table.Column(column);
    if (spec == nullptr) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(ctx.mapping.name) +
                                              ": column not in the catalogue: " + std::string(arg));
    }
    const std::vector<std::string>* present = ColumnsOf(ctx.columns, table);
    if (present != nullptr && Has(*present, column)) return std::string(alias) + "." + QuoteIdent(column);
    return "NULL::" + std::string(spec->type);
}

// The unknown columns of a legacy relation as one jsonb object: those with a
// secret-like name (secret), or the others.
std::string UnknownColumnsJson(std::string_view alias, const LegacyTable& table,
                               const std::vector<std::string>& present, bool secret) {
    std::vector<std::string> pairs;
    for (const std::string& column : present) {
        if (table.Column(column) == nullptr && IsSecretColumn(column) == secret) {
            pairs.push_back(QuoteLiteral(column) + ", " + std::string(alias) + "." + QuoteIdent(column));
        }
    }
    if (pairs.empty()) return "NULL::jsonb";
    // jsonb_build_object takes at most 100 arguments: 50 pairs per call.
    std::string out = "NULLIF(jsonb_strip_nulls(";
    for (std::size_t i = 0; i < pairs.size(); i += 50) {
        if (i > 0) out += " || ";
        out += "jsonb_build_object(";
        for (std::size_t j = i; j < pairs.size() && j < i + 50; ++j) {
            if (j > i) out += ", ";
            out += pairs[j];
        }
        out += ")";
    }
    out += "), '{}'::jsonb)";
    return out;
}

// The present unknown columns of `table` whose name is secret-like (none
// unless its unknown columns would go to legacy).
std::vector<std::string> SecretColumns(const LegacyTable& table, const std::vector<std::string>* present) {
    std::vector<std::string> out;
    if (!table.unknown_to_legacy || present == nullptr) return out;
    for (const std::string& column : *present) {
        if (table.Column(column) == nullptr && IsSecretColumn(column)) out.push_back(column);
    }
    return out;
}

std::string ParentPredicate(const Context& ctx, std::string_view parent_name, std::string_view key) {
    const TableMapping* parent = FindMapping(parent_name);
    if (parent == nullptr) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping: unknown parent " + std::string(parent_name));
    }
    std::string in_target = "EXISTS (SELECT 1 FROM " + ctx.names.target + "." + std::string(parent->target) +
                            " pv WHERE pv." + std::string(parent->target_key) + " = (" + std::string(key) + "))";
    if (!ctx.names.target_exists) in_target = "false";
    if (ctx.parents == ParentMode::kTarget) return in_target;
    Context parent_ctx{*parent, ctx.names, ctx.columns, RowSet::kPending, ParentMode::kPredicted, {}};
    return "(" + in_target + " OR (" + std::string(key) + ") IN (SELECT pp._key::" + std::string(parent->key_type) +
           " FROM (" + Expand(parent->mapped, parent_ctx) + ") pp WHERE pp._reason IS NULL))";
}

std::string Placeholder(std::string_view body, const Context& ctx) {
    if (body == "src") return ctx.names.source;
    if (body == "tgt") return ctx.names.target;
    if (body == "ext") return ctx.names.extension;
    if (body == "key") return ctx.key;
    // The primary relation of the mapping (the whole-row template of the quarantine).
    if (body == "table") return QuoteIdent(ctx.mapping.primary->name);
    if (body == "keycol") return QuoteIdent(ctx.mapping.primary->key);
    if (body == "keytype") return std::string(ctx.mapping.key_type);
    const std::size_t colon = body.find(':');
    const std::string_view kind = body.substr(0, colon);
    const std::string_view arg = colon == std::string_view::npos ? "" : body.substr(colon + 1);
    if (kind == "c") return ColumnRef(ctx, arg);
    // A rule that compares rows of the set with each other: with one key, one
    // row, there is no other row (users: a key is an auth user or an orphan
    // profile, never both).
    if (kind == "window") return ctx.single_key ? "false" : Expand(arg, ctx);
    // Rows that can never reach V2 (orphan profiles): live sync's fast paths
    // only look for rows that do; the complete statement sees them.
    if (kind == "orphans") return ctx.single_key ? "" : Expand(arg, ctx);
    // Evaluating every legacy row at once (verification), the window already
    // sees every older duplicate; the V2 probe only matters for a subset.
    if (kind == "v2exists") return ctx.names.target_exists && ctx.rows != RowSet::kAll ? Expand(arg, ctx) : "false";
    if (kind == "v2value") return ctx.names.target_exists ? Expand(arg, ctx) : "NULL";
    if (kind == "legacy" || kind == "secrets") {
        const LegacyTable& table = RelationByAlias(ctx.mapping, arg);
        const std::vector<std::string>* present = ColumnsOf(ctx.columns, table);
        if (!table.unknown_to_legacy || present == nullptr) return "NULL::jsonb";
        return UnknownColumnsJson(arg, table, *present, kind == "secrets");
    }
    // The whole legacy row as jsonb, its secret-like unknown columns written
    // "[redacted]" (the quarantine's row_data).
    if (kind == "redacted") {
        const LegacyTable& table = RelationByAlias(ctx.mapping, arg);
        const std::string whole = "to_jsonb(" + std::string(arg) + ")";
        const std::vector<std::string> secret = SecretColumns(table, ColumnsOf(ctx.columns, table));
        if (secret.empty()) return whole;
        std::string out = "((" + whole;
        for (const std::string& column : secret) out += " - " + QuoteLiteral(column);
        out += ")";
        // jsonb_build_object takes at most 100 arguments: 50 pairs per call.
        for (std::size_t i = 0; i < secret.size(); i += 50) {
            out += " || jsonb_build_object(";
            for (std::size_t j = i; j < secret.size() && j < i + 50; ++j) {
                out += std::string(j > i ? ", " : "") + QuoteLiteral(secret[j]) + ", '[redacted]'::text";
            }
            out += ")";
        }
        return out + ")";
    }
    if (kind == "rows" || kind == "parent") {
        const std::size_t second = arg.find(':');
        const std::string_view name = arg.substr(0, second);
        const std::string key = Expand(arg.substr(second + 1), ctx);
        if (kind == "parent") return ParentPredicate(ctx, name, key);
        if (name != ctx.mapping.name) {
            throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(ctx.mapping.name) +
                                                  ": @{rows} of another mapping: " + std::string(name));
        }
        return RowsPredicate(ctx, key);
    }
    throw Error(ErrorCode::kInternal, "dskv2 mapping: unknown placeholder @{" + std::string(body) + "}");
}

}  // namespace

std::string Expand(std::string_view text, const Context& ctx) {
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find("@{", i);
        if (open == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, open - i));
        std::size_t depth = 1;
        std::size_t j = open + 2;
        while (j < text.size() && depth > 0) {
            if (text.compare(j, 2, "@{") == 0) {
                ++depth;
                j += 2;
            } else if (text[j] == '{') {
                // '{}' in an argument would end the placeholder at its '}'.
                throw Error(ErrorCode::kInternal, "dskv2 mapping: a brace inside the placeholder at \"" +
                                                      std::string(text.substr(open, 40)) + "\"");
            } else {
                if (text[j] == '}') --depth;
                ++j;
            }
        }
        if (depth != 0) throw Error(ErrorCode::kInternal, "dskv2 mapping: unbalanced placeholder");
        out.append(Placeholder(text.substr(open + 2, j - open - 3), ctx));
        i = j;
    }
    return out;
}

std::string RowsPredicate(const Context& ctx, std::string_view key) {
    if (!ctx.names.target_exists) {
        return ctx.rows == RowSet::kPending || ctx.rows == RowSet::kAll ? "true" : "false";
    }
    Context done_ctx = ctx;
    done_ctx.key = "(" + std::string(key) + ")";
    const std::string done = Expand(ctx.mapping.done, done_ctx);
    const std::string quarantined = "EXISTS (SELECT 1 FROM " + ctx.names.target +
                                    ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(ctx.mapping.name) +
                                    " AND rq.source_key = (" + std::string(key) + ")::text)";
    const std::string type(ctx.mapping.key_type);
    switch (ctx.rows) {
        case RowSet::kPending:
            return "NOT " + done + " AND NOT " + quarantined;
        case RowSet::kKeys:
            // A semi-join on unnest (estimated small) makes the planner probe
            // indexes per key instead of hashing whole tables every batch.
            return "(" + std::string(key) + ") IN (SELECT bk::" + type + " FROM unnest($1::text[]) AS bk) AND NOT " +
                   done + " AND NOT " + quarantined;
        case RowSet::kQuarantined:
            return quarantined + " AND NOT " + done;
        case RowSet::kStaged:
            // Live sync may have written or quarantined the row since it was staged.
            return "NOT " + done + " AND NOT " + quarantined;
        case RowSet::kAll:
            return "true";
        case RowSet::kSync:
            // A few keys, from a trigger: an index scan on the array, nothing to
            // hash; the fast paths' one key: a plain equality (a plain index
            // scan, cheaper to start than a bitmap scan of an array).
            if (ctx.single_key) return "(" + std::string(key) + ") = ($1::text[])[1]::" + type;
            return "(" + std::string(key) + ") = ANY ($1::text[]::" + type + "[])";
    }
    return "false";
}

std::string QuoteIdent(std::string_view name) { return core::QuoteIdent(name); }

std::string QuoteLiteral(std::string_view text) { return core::QuoteLiteral(text); }

std::string Run(std::int64_t run_id) { return std::to_string(run_id) + "::bigint"; }

std::string QuarantineCte(const Context& ctx, std::string_view from, std::int64_t run_id) {
    Context data_ctx = ctx;
    data_ctx.key = std::string(from) + "._key";
    const std::string f(from);
    return "quarantined AS (INSERT INTO " + ctx.names.target +
           ".migration_rejects (source_table, source_key, reason, row_data, run_id)\n"
           "  SELECT " +
           f + "._source, " + f + "._key, " + f + "._reason, " + Expand(ctx.mapping.row_data, data_ctx) + ", " +
           Run(run_id) + " FROM " + f + " WHERE " + f +
           "._reason IS NOT NULL\n"
           "  ON CONFLICT (source_table, source_key) DO UPDATE SET reason = EXCLUDED.reason, "
           "row_data = EXCLUDED.row_data, run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at\n"
           "  RETURNING 1)";
}

InsertLists InsertColumns(const TableMapping& m, const SqlNames& names, std::string_view claim_args) {
    InsertLists out;
    for (std::string_view c : MappedColumns(m, names)) {
        out.columns += std::string(c) + ", ";
        out.values += "x." + std::string(c) + ", ";
    }
    const V2Table& t = *m.table;
    if (t.slug_allocated) {
        out.columns += std::string(t.slug_column) + ", ";
        out.values += names.extension + ".dskv2_claim_slug(" + QuoteLiteral(TargetTable(m, names)) + "::regclass, " +
                      QuoteLiteral(t.slug_column) + ", x._slug_base, " + QuoteLiteral(t.slug_fallback) + ", " +
                      std::string(claim_args) + "), ";
    }
    return out;
}

UpdateLists UpdateColumns(const TableMapping& m, const SqlNames& names, const std::string& alias) {
    UpdateLists out;
    for (std::string_view c : MappedColumns(m, names)) {
        if (c == m.target_key) continue;
        const std::string sep = out.sets.empty() ? "" : ", ";
        out.sets += sep + std::string(c) + " = " + alias + "." + std::string(c);
        out.v2_cols += sep + "v." + std::string(c);
        out.mapped_cols += sep + alias + "." + std::string(c);
    }
    return out;
}

const V2Table& SlugTableOf(const TableMapping& m) {
    for (const ForeignKey& fk : m.table->foreign_keys) {
        const V2Table* parent = fk.column == m.table->pair.b ? FindV2Table(fk.parent) : nullptr;
        if (parent != nullptr && !parent->slug_column.empty()) return *parent;
    }
    throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(m.name) + ": no slug table");
}

std::string TargetTable(const TableMapping& m, const SqlNames& names) {
    return names.target + "." + std::string(m.target);
}

namespace {

// The mapped columns of a side table: what follows the row it keeps apart.
std::vector<std::string_view> SideMapped(const V2Table& side) {
    std::vector<std::string_view> out;
    for (const V2Column& c : side.columns) {
        if (c.mapped) out.push_back(c.name);
    }
    return out;
}

}  // namespace

std::string SideWrites(const TableMapping& m, const SqlNames& names, const std::string& from) {
    std::string sql;
    for (const V2Table* side : SideTables(m, names)) {
        const std::string key(side->side_key);
        std::string cols = key, values = "x." + std::string(m.target_key), sets, v2, mapped;
        for (std::string_view c : SideMapped(*side)) {
            const std::string col(c), sep = sets.empty() ? "" : ", ";
            cols += ", " + col;
            values += ", x." + col;
            sets += sep + col + " = EXCLUDED." + col;
            v2 += sep + "f." + col;
            mapped += sep + "EXCLUDED." + col;
        }
        sql += ",\nside_" + std::string(side->name) + " AS (INSERT INTO " + names.target + "." +
               std::string(side->name) + " AS f (" + cols + ")\n  SELECT " + values + " FROM " + from +
               " WHERE x._reason IS NULL\n  ON CONFLICT (" + key + ") DO UPDATE SET " + sets + " WHERE (" + v2 +
               ") IS DISTINCT FROM (" + mapped + ") RETURNING 1)";
    }
    return sql;
}

const LegacyTable* SecretsRelation(const TableMapping& m, const SourceColumns& columns) {
    for (const RelationSpec& r : m.relations) {
        const LegacyTable* table = FindLegacyTable(r.table);
        if (table != nullptr && !SecretColumns(*table, ColumnsOf(columns, *table)).empty()) return table;
    }
    return nullptr;
}

namespace {

// The table_name of the mapping's legacy_secrets rows as a literal, or ""
// when its statements write none.
std::string SecretsTableLiteral(const TableMapping& m, const SqlNames& names, const SourceColumns& columns) {
    if (names.secrets.empty()) return "";
    const LegacyTable* relation = SecretsRelation(m, columns);
    return relation == nullptr ? "" : QuoteLiteral(relation->Key());
}

}  // namespace

bool WritesSecrets(const TableMapping& m, const SqlNames& names, const SourceColumns& columns) {
    return !SecretsTableLiteral(m, names, columns).empty();
}

std::string SecretsWrite(const TableMapping& m, const SqlNames& names, const SourceColumns& columns,
                         const std::string& from) {
    const std::string relation = SecretsTableLiteral(m, names, columns);
    if (relation.empty()) return "";
    return ",\nsecrets_written AS (INSERT INTO " + names.secrets +
           " AS ls (table_name, key, column_name, value)\n  SELECT " + relation + ", x._key, e.key, e.value FROM " +
           from +
           " CROSS JOIN LATERAL jsonb_each(x._secrets) e WHERE x._reason IS NULL\n"
           "  ON CONFLICT (table_name, key, column_name) DO UPDATE SET value = EXCLUDED.value WHERE ls.value IS "
           "DISTINCT FROM EXCLUDED.value RETURNING 1)";
}

std::string SecretsGone(const TableMapping& m, const SqlNames& names, const SourceColumns& columns) {
    const std::string relation = SecretsTableLiteral(m, names, columns);
    if (relation.empty()) return "";
    return ",\nsecrets_gone AS (DELETE FROM " + names.secrets + " ls WHERE ls.table_name = " + relation +
           " AND ls.key = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM mapped x WHERE x._key = ls.key AND "
           "(x._reason IS NOT NULL OR COALESCE(x._secrets ? ls.column_name, false))) RETURNING 1)";
}

std::string StoredSecrets(const TableMapping& m, const SqlNames& names, const SourceColumns& columns,
                          const std::string& key_text) {
    const std::string relation = SecretsTableLiteral(m, names, columns);
    if (relation.empty()) return "NULL::jsonb";
    return "(SELECT jsonb_object_agg(ls.column_name, ls.value) FROM " + names.secrets +
           " ls WHERE ls.table_name = " + relation + " AND ls.key = " + key_text + ")";
}

std::string SideUnchanged(const TableMapping& m, const SqlNames& names, const std::string& alias) {
    std::string sql;
    for (const V2Table* side : SideTables(m, names)) {
        std::string v2, mapped;
        for (std::string_view c : SideMapped(*side)) {
            const std::string col(c), sep = v2.empty() ? "" : ", ";
            v2 += sep + "f." + col;
            mapped += sep + alias + "." + col;
        }
        sql += " AND EXISTS (SELECT 1 FROM " + names.target + "." + std::string(side->name) + " f WHERE f." +
               std::string(side->side_key) + " = " + alias + "." + std::string(m.target_key) + " AND (" + v2 +
               ") IS NOT DISTINCT FROM (" + mapped + "))";
    }
    return sql;
}

OneKeySource OneKeyWithSides(const TableMapping& m, const SqlNames& names, const std::string& mapped) {
    const std::string side = SideWrites(m, names, "mx x");
    if (side.empty()) return {"", "(" + mapped + ")"};
    return {"WITH mx AS MATERIALIZED (" + mapped + ")" + side + "\n", "mx"};
}

std::vector<SideColumn> SideColumns(const TableMapping& m, const SqlNames& names) {
    std::vector<SideColumn> out;
    for (const V2Table* side : SideTables(m, names)) {
        for (std::string_view c : SideMapped(*side)) out.push_back({side, c});
    }
    return out;
}

GroupSides GroupComparison(const TableMapping& m, const SqlNames& names, const std::string& rows,
                           const std::string& kept) {
    const std::string table = TargetTable(m, names);
    const PairSpec& p = m.table->pair;
    const std::string a(p.a), b(p.b);
    if (m.merge == Merge::kByPair) {
        return {"SELECT DISTINCT ON (m." + a + ", m." + b + ") m." + a + " AS k1, m." + b +
                    " AS k2, m.created_at AS c1, m.legacy AS c2 FROM " + rows + " WHERE m._reason IS NULL AND " + kept +
                    " ORDER BY m." + a + ", m." + b + ", m._o1 NULLS LAST, m._o2",
                "SELECT v." + a + " AS k1, v." + b + " AS k2, v.created_at AS c1, v.legacy AS c2 FROM " + table +
                    " v WHERE v." + std::string(m.table->provenance) + " IS NOT NULL"};
    }
    // By slug: the group's second key is the slug of the row it references.
    const V2Table* slug_table = &SlugTableOf(m);
    return {"SELECT DISTINCT ON (m." + a + ", m._slug_base COLLATE \"C\") m." + a +
                " AS k1, m._slug_base AS k2, NULL::boolean AS c1, m.legacy AS c2 FROM " + rows +
                " WHERE m._reason IS NULL AND " + kept + " ORDER BY m." + a +
                ", m._slug_base COLLATE \"C\", m._o1 NULLS LAST, m._o2",
            "SELECT v." + a + " AS k1, t." + std::string(slug_table->slug_column) +
                "::text AS k2, NULL::boolean AS c1, v.legacy AS c2 FROM " + table + " v JOIN " + names.target + "." +
                std::string(slug_table->name) + " t ON t.id = v." + b + " WHERE v." + std::string(m.table->provenance) +
                " IS NOT NULL"};
}

}  // namespace detail

std::vector<std::string_view> MappedColumns(const TableMapping& mapping, const SqlNames& names) {
    std::vector<std::string_view> out;
    const int shape = names.Shape();
    for (const V2Column& c : mapping.table->columns) {
        if (c.mapped && c.since <= shape && (c.until == 0 || shape < c.until)) out.push_back(c.name);
    }
    return out;
}

std::vector<const V2Table*> SideTables(const TableMapping& mapping, const SqlNames& names) {
    std::vector<const V2Table*> out;
    const int shape = names.Shape();
    for (const V2Table& t : V2Tables()) {
        if (t.side_of == mapping.target && t.since <= shape) out.push_back(&t);
    }
    return out;
}

std::vector<DriftItem> Drift(const TableMapping& mapping, const SourceColumns& columns) {
    std::vector<DriftItem> items;
    for (const RelationSpec& relation : mapping.relations) {
        const LegacyTable* table = FindLegacyTable(relation.table);
        const std::string key = table->Key();
        auto it = columns.find(key);
        if (it == columns.end()) {
            items.push_back({key, "", DriftItem::Kind::kMissingTable});
            continue;
        }
        const std::vector<std::string>& present = it->second;
        for (const LegacyColumn& c : table->columns) {
            if (std::find(present.begin(), present.end(), c.name) == present.end()) {
                items.push_back({key, std::string(c.name),
                                 c.required ? DriftItem::Kind::kMissingRequired : DriftItem::Kind::kMissingOptional});
            }
        }
        if (table->unknown_to_legacy) {
            for (const std::string& column : present) {
                if (table->Column(column) != nullptr) continue;
                items.push_back({key, column,
                                 IsSecretColumn(column) ? DriftItem::Kind::kUnknownSecret : DriftItem::Kind::kUnknown});
            }
        }
    }
    return items;
}

void CheckRunnable(const TableMapping& mapping, const SourceColumns& columns) {
    for (const DriftItem& item : Drift(mapping, columns)) {
        if (item.kind == DriftItem::Kind::kMissingTable) {
            throw Error(ErrorCode::kUndefinedTable, "dskv2: legacy table " + item.relation + " does not exist",
                        "The " + std::string(mapping.name) + " mapping reads it.");
        }
        if (item.kind == DriftItem::Kind::kMissingRequired) {
            throw Error(ErrorCode::kUndefinedColumn,
                        "dskv2: required legacy column " + item.relation + "." + item.column + " does not exist",
                        "Nothing was written. Run dskv2_plan() to see every drift.");
        }
    }
}

namespace {

struct StatementName {
    std::string_view name;
    Statement statement;
};

constexpr StatementName kStatements[] = {
    {"mapped", Statement::kMapped},
    {"migrate", Statement::kMigrate},
    {"plan", Statement::kPlan},
    {"stage", Statement::kStage},
    {"verify", Statement::kVerify},
    {"sync", Statement::kSync},
    {"sync_insert", Statement::kSyncInsert},
    {"sync_update", Statement::kSyncUpdate},
    {"sync_unchanged", Statement::kSyncUnchanged},
    {"sync_delete", Statement::kSyncDelete},
    {"reconcile", Statement::kReconcile},
};

struct RowSetName {
    std::string_view name;
    RowSet rows;
};

constexpr RowSetName kRowSets[] = {
    {"pending", RowSet::kPending}, {"keys", RowSet::kKeys}, {"quarantined", RowSet::kQuarantined},
    {"staged", RowSet::kStaged},   {"sync", RowSet::kSync},
};

}  // namespace

bool StatementFromName(std::string_view name, Statement* out) {
    for (const StatementName& s : kStatements) {
        if (s.name == name) {
            *out = s.statement;
            return true;
        }
    }
    return false;
}

bool RowSetFromName(std::string_view name, RowSet* out) {
    for (const RowSetName& r : kRowSets) {
        if (r.name == name) {
            *out = r.rows;
            return true;
        }
    }
    return false;
}

const std::vector<std::string_view>& StatementNames() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const StatementName& s : kStatements) v.push_back(s.name);
        return v;
    }();
    return names;
}

std::string BuildStatement(Statement statement, const TableMapping& mapping, const SqlNames& names,
                           const SourceColumns& columns, RowSet rows, std::int64_t run_id) {
    switch (statement) {
        case Statement::kMapped:
            return MappedRowsSql(mapping, names, columns, rows, ParentMode::kTarget);
        case Statement::kMigrate:
            return MigrateSql(mapping, names, columns, rows, run_id);
        case Statement::kPlan:
            return PlanSql(mapping, names, columns);
        case Statement::kStage:
            return StageSql(mapping, names, columns);
        case Statement::kVerify:
            return VerifySql(names, columns, 10);
        case Statement::kSync:
            // One-row mappings update in place; merging ones are taken apart
            // (unlink) and written again by kMigrate with row set kKeys.
            return mapping.merge == Merge::kNone ? SyncSql(mapping, names, columns, run_id)
                                                 : UnlinkSql(mapping, names, columns, run_id);
        case Statement::kSyncInsert:
            return SyncInsertSql(mapping, names, columns, run_id);
        case Statement::kSyncUpdate:
            return SyncUpdateSql(mapping, names, columns);
        case Statement::kSyncUnchanged:
            return SyncUnchangedSql(mapping, names, columns);
        case Statement::kSyncDelete:
            return SyncDeleteSql(mapping, names, columns);
        case Statement::kReconcile:
            return ReconcileKeysSql(mapping, names, columns);
    }
    throw Error(ErrorCode::kInternal, "dskv2 mapping: unknown statement");
}

}  // namespace dskv2::core
