// The catalogue as rows for SQL, and the DDL of the shape steps
// (core/catalog_sql.hpp).
#include "core/catalog_sql.hpp"

#include "core/catalog.hpp"
#include "core/mapping.hpp"

#include <algorithm>

namespace dskv2::core {
namespace {

std::optional<std::string> Text(std::string_view s) { return std::string(s); }
std::optional<std::string> TextOrNull(std::string_view s) {
    if (s.empty()) return std::nullopt;
    return std::string(s);
}
std::optional<std::string> Bool(bool b) { return std::string(b ? "true" : "false"); }
std::optional<std::string> Int(long long n) { return std::to_string(n); }

// A text[] literal of plain words (catalogue names: no quote, brace or comma).
std::string TextArray(const std::vector<std::string_view>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ",";
        out += std::string(items[i]);
    }
    return out + "}";
}

std::string Replace(std::string text, std::string_view from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// The step a column or index of a table comes with: never before its table.
int StepOf(int since, const V2Table& t) { return std::max(since, t.since); }

std::string ColumnDefinition(const V2Column& c) {
    std::string def = std::string(c.name) + " " + std::string(c.type);
    if (!c.rest.empty()) def += " " + std::string(c.rest);
    return def;
}

}  // namespace

std::vector<CatalogRow> CatalogTableRows() {
    std::vector<CatalogRow> rows;
    int ord = 0;
    for (const V2Table& t : V2Tables()) {
        rows.push_back({Int(++ord), Text(t.name), Text(TableRoleName(t.role)), Int(t.since), Bool(t.audited),
                        TextOrNull(t.identity), TextOrNull(t.identity_legacy), TextOrNull(t.slug_column),
                        TextOrNull(t.slug_fallback), Bool(t.slug_allocated), TextOrNull(t.provenance),
                        TextOrNull(t.service_role), TextOrNull(t.comment)});
    }
    return rows;
}

std::vector<CatalogRow> CatalogColumnRows() {
    std::vector<CatalogRow> rows;
    for (const V2Table& t : V2Tables()) {
        int ord = 0;
        for (const V2Column& c : t.columns) {
            rows.push_back({Text(t.name), Int(++ord), Text(c.name), Text(c.type), Int(StepOf(c.since, t)),
                            Bool(c.mapped), c.until == 0 ? std::nullopt : Int(c.until), Text(SecrecyName(c.secrecy)),
                            TextOrNull(c.legacy_home), TextOrNull(c.inverse), Text(OwnerName(c.owner.before_switch)),
                            Text(OwnerName(c.owner.after_switch)), Text(OwnerName(c.owner.after_switch_back))});
        }
    }
    return rows;
}

std::vector<CatalogRow> CatalogForeignKeyRows() {
    std::vector<CatalogRow> rows;
    for (const V2Table& t : V2Tables()) {
        for (const ForeignKey& fk : t.foreign_keys) {
            const std::size_t dot = fk.parent.find('.');
            const bool outside = dot != std::string_view::npos;
            const std::string base = std::string(t.name) + "_" + std::string(fk.column);
            rows.push_back({Text(t.name), Text(fk.column), Text(outside ? fk.parent.substr(0, dot) : "target"),
                            Text(outside ? fk.parent.substr(dot + 1) : fk.parent), Text(fk.parent_column),
                            Text(OnDeleteSql(fk.on_delete)),
                            Text(fk.name.empty() ? base + "_fkey" : std::string(fk.name)),
                            fk.indexed ? Text(base + "_idx") : std::nullopt});
        }
    }
    return rows;
}

std::vector<CatalogRow> CatalogSecurityRows() {
    std::vector<CatalogRow> rows;
    for (const V2Table& t : V2Tables()) {
        for (const Grant& g : t.grants) {
            const std::optional<std::string> columns =
                g.columns.empty() ? std::nullopt : std::optional<std::string>(std::string(g.columns));
            rows.push_back({Text(t.name), Text("grant"), std::nullopt, Text(g.roles), Text(g.privileges), columns,
                            std::nullopt, std::nullopt});
        }
        for (const Policy& p : t.policies) {
            rows.push_back({Text(t.name), Text("policy"), Text(p.name), Text(p.roles), Text(p.command), std::nullopt,
                            TextOrNull(p.using_expr), TextOrNull(p.check_expr)});
        }
    }
    return rows;
}

std::vector<CatalogRow> CatalogLegacyRows() {
    std::vector<CatalogRow> rows;
    int ord = 0;
    for (const LegacyTable& t : LegacyTables()) {
        rows.push_back({Int(++ord), Text(t.Key()), Text(t.schema == LegacySchema::kAuth ? "auth" : "source"),
                        Text(t.name), Text(t.mapping), Text(t.key), Text(t.Column(t.key)->type), Bool(t.optional),
                        Bool(t.partitioned), Bool(t.guarded), Bool(t.auth_path)});
    }
    return rows;
}

std::vector<CatalogRow> CatalogEdgeRows() {
    std::vector<CatalogRow> rows;
    for (const Edge& e : Edges()) {
        rows.push_back({Text(e.child), Text(e.child_relation), Text(e.child_column), Text(e.parent),
                        Bool(e.rejects_orphans), Bool(e.must_migrate_first)});
    }
    return rows;
}

std::vector<CatalogRow> CatalogMappingRows() {
    std::vector<CatalogRow> rows;
    int ord = 0;
    for (const TableMapping& m : Mappings()) {
        const char* merge = m.merge == Merge::kBySlug ? "by_slug" : (m.merge == Merge::kByPair ? "by_pair" : "none");
        rows.push_back({Int(++ord), Text(m.name), Text(m.target), Text(TextArray(m.parents)), Text(merge),
                        TextOrNull(m.plan_note)});
    }
    return rows;
}

std::vector<CatalogRow> TargetStepRows(const std::string& quoted_target, const std::string& quoted_private) {
    std::vector<CatalogRow> rows;
    const std::string tgt = quoted_target + ".";
    for (const ShapeStep& step : ShapeSteps()) {
        auto add = [&](const char* kind, std::string_view table, std::string_view object, std::string sql) {
            rows.push_back(
                {Int(step.number), Text(step.name), Text(kind), TextOrNull(table), TextOrNull(object), std::move(sql)});
        };
        for (const V2Table& t : V2Tables()) {
            if (t.since == step.number) {
                std::string def;
                for (const V2Column& c : t.columns) {
                    if (StepOf(c.since, t) != step.number) continue;
                    def += (def.empty() ? "" : ",\n    ") + ColumnDefinition(c);
                }
                for (std::string_view constraint : t.constraints) def += ",\n    " + std::string(constraint);
                add("table", t.name, {},
                    "CREATE TABLE IF NOT EXISTS " + tgt + std::string(t.name) + " (\n    " + def + "\n)");
            } else if (t.since < step.number) {
                for (const V2Column& c : t.columns) {
                    if (StepOf(c.since, t) != step.number) continue;
                    add("column", t.name, c.name,
                        "ALTER TABLE " + tgt + std::string(t.name) + " ADD COLUMN IF NOT EXISTS " +
                            ColumnDefinition(c));
                }
            }
            for (const V2Index& idx : t.indexes) {
                if (StepOf(idx.since, t) != step.number) continue;
                add("index", t.name, idx.name,
                    std::string(idx.unique ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE INDEX IF NOT EXISTS ") +
                        std::string(idx.name) + " ON " + tgt + std::string(t.name) + " " + std::string(idx.columns));
            }
        }
        // Batches first: a data move copies without a lock, then its
        // statements finish it under one (shape step 4).
        auto expand = [&](std::string_view s) {
            return Replace(Replace(std::string(s), "@{private}", quoted_private), "@{tgt}", quoted_target);
        };
        for (std::string_view s : step.batches) add("batch", {}, {}, expand(s));
        for (std::string_view s : step.statements) add("statement", {}, {}, expand(s));
        for (const auto& [table, policy] : step.policies) {
            add("policy", table, policy,
                "DROP POLICY IF EXISTS " + std::string(policy) + " ON " + tgt + std::string(table));
        }
    }
    return rows;
}

}  // namespace dskv2::core
