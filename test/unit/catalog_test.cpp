// Unit tests of the catalogue (core/catalog.hpp): that it holds together
// (every name it refers to is described in it), that it says what
// docs/mapping.md and docs/security.md fix (tables, keys, delete actions,
// identities, slugs, merges, edges, roles), and that the shape steps' DDL
// creates each object once, at its step. And the template parser's refusal of
// a brace inside a placeholder.
#include "core/catalog.hpp"
#include "core/catalog_sql.hpp"
#include "core/errors.hpp"
#include "core/mapping.hpp"
#include "core/mapping_internal.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace dskv2::core {
namespace {

std::vector<std::string> TableNames() {
    std::vector<std::string> out;
    for (const V2Table& t : V2Tables()) out.emplace_back(t.name);
    return out;
}

TEST(CatalogTest, TheV2TablesOfTheContract) {
    // docs/mapping.md, "The V2 schema": the content tables, then the
    // bookkeeping the extension keeps in the target.
    const std::set<std::string> expected = {
        "users",           "categories",       "packs",          "samples",          "tags",
        "pack_tags",       "favorites",        "user_packs",     "pack_stats",       "ai_tools",
        "ai_usage",        "admin_logs",       "trending_ideas", "migration_runs",   "migration_rejects",
        "migration_state", "migration_merges", "verify_diffs",   "trigger_settings", "ai_usage_daily",
        "shape_steps",     "pack_files",       "ai_tool_secrets"};
    const std::vector<std::string> names = TableNames();
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
    EXPECT_EQ(names.size(), expected.size()) << "a table is described twice";
}

TEST(CatalogTest, ForeignKeysAndTheirDeleteActions) {
    // docs/mapping.md, "Foreign keys".
    const std::map<std::string, std::string> expected = {
        {"users.id", "auth.users CASCADE"},         {"packs.category_id", "categories SET NULL"},
        {"packs.author_id", "users SET NULL"},      {"samples.pack_id", "packs CASCADE"},
        {"pack_tags.pack_id", "packs CASCADE"},     {"pack_tags.tag_id", "tags CASCADE"},
        {"favorites.user_id", "users CASCADE"},     {"favorites.pack_id", "packs CASCADE"},
        {"user_packs.user_id", "users CASCADE"},    {"user_packs.pack_id", "packs CASCADE"},
        {"pack_stats.pack_id", "packs CASCADE"},    {"ai_usage.user_id", "users SET NULL"},
        {"ai_usage.tool_id", "ai_tools NO ACTION"}, {"trending_ideas.category_id", "categories SET NULL"},
        {"pack_files.pack_id", "packs CASCADE"},    {"ai_tool_secrets.tool_id", "ai_tools CASCADE"}};
    std::map<std::string, std::string> actual;
    for (const V2Table& t : V2Tables()) {
        for (const ForeignKey& fk : t.foreign_keys) {
            actual[std::string(t.name) + "." + std::string(fk.column)] =
                std::string(fk.parent) + " " + OnDeleteSql(fk.on_delete);
            EXPECT_NE(t.Column(fk.column), nullptr) << t.name << "." << fk.column;
            if (fk.parent != "auth.users") {
                const V2Table* parent = FindV2Table(fk.parent);
                ASSERT_NE(parent, nullptr) << fk.parent;
                EXPECT_NE(parent->Column(fk.parent_column), nullptr) << fk.parent << "." << fk.parent_column;
            }
        }
    }
    EXPECT_EQ(actual, expected);
}

TEST(CatalogTest, EveryForeignKeyColumnIsIndexed) {
    // An index on every foreign key: its own, or a key that leads with it.
    for (const V2Table& t : V2Tables()) {
        for (const ForeignKey& fk : t.foreign_keys) {
            if (fk.indexed) continue;
            bool leads = false;
            for (std::string_view c : t.constraints) {
                leads |= c.rfind("PRIMARY KEY (" + std::string(fk.column), 0) == 0;
            }
            const V2Column* column = t.Column(fk.column);
            leads |= column != nullptr && column->rest.find("PRIMARY KEY") != std::string_view::npos;
            EXPECT_TRUE(leads) << t.name << "." << fk.column << " has no index";
        }
    }
}

TEST(CatalogTest, IdentitiesSlugsAndMerges) {
    std::map<std::string, std::string> legacy_ids;
    std::map<std::string, std::string> slugs;
    for (const V2Table& t : V2Tables()) {
        if (!t.identity.empty()) {
            EXPECT_NE(t.Column(t.identity), nullptr) << t.name;
        }
        if (!t.identity_legacy.empty()) {
            legacy_ids[std::string(t.name)] = std::string(t.identity_legacy);
            EXPECT_NE(FindLegacyTable(t.identity_legacy), nullptr) << t.identity_legacy;
        }
        if (!t.slug_column.empty()) {
            slugs[std::string(t.name)] = std::string(t.slug_fallback) + (t.slug_allocated ? "" : " (merge key)");
            EXPECT_NE(t.Column(t.slug_column), nullptr) << t.name;
        }
        if (!t.pair.a.empty()) {
            ASSERT_NE(t.Column(t.pair.a), nullptr) << t.name;
            ASSERT_NE(t.Column(t.pair.b), nullptr) << t.name;
            EXPECT_EQ(t.Column(t.pair.a)->type, t.pair.a_type) << t.name;
            EXPECT_EQ(t.Column(t.pair.b)->type, t.pair.b_type) << t.name;
        }
        if (!t.provenance.empty()) {
            EXPECT_NE(t.Column(t.provenance), nullptr) << t.name;
        }
    }
    // docs/mapping.md: these tables keep their legacy ids (the identity stays above them).
    EXPECT_EQ(legacy_ids, (std::map<std::string, std::string>{{"categories", "categories"},
                                                              {"samples", "samples"},
                                                              {"admin_logs", "admin_logs"},
                                                              {"trending_ideas", "trending_ideas"}}));
    EXPECT_EQ(
        slugs,
        (std::map<std::string, std::string>{
            {"categories", "category"}, {"packs", "pack"}, {"tags", "tag (merge key)"}, {"trending_ideas", "idea"}}));
}

TEST(CatalogTest, MappingsReferToTheCatalogue) {
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        ASSERT_NE(m.table, nullptr);
        ASSERT_NE(m.primary, nullptr);
        EXPECT_EQ(m.primary->Key(), m.name) << "a mapping is named after its primary relation";
        EXPECT_NE(m.table->Column(m.target_key), nullptr);
        EXPECT_FALSE(m.table->provenance.empty()) << "rows from legacy must be told from the application's";
        EXPECT_EQ(m.merge != Merge::kNone, !m.table->pair.a.empty());
        for (const RelationSpec& r : m.relations) {
            const LegacyTable* t = FindLegacyTable(r.table);
            ASSERT_NE(t, nullptr) << r.table;
            EXPECT_EQ(t->mapping, m.name) << r.table << " feeds another mapping";
        }
    }
    for (const LegacyTable& t : LegacyTables()) {
        EXPECT_NE(FindMapping(t.mapping), nullptr) << t.Key();
        EXPECT_NE(t.Column(t.key), nullptr) << t.Key();
    }
}

TEST(CatalogTest, EdgesBetweenMappings) {
    // docs/mapping.md, "Rejects": parents are checked first.
    std::map<std::string, std::string> orphans;
    for (const Edge& e : Edges()) {
        ASSERT_NE(FindMapping(e.child), nullptr) << e.child;
        ASSERT_NE(FindMapping(e.parent), nullptr) << e.parent;
        const LegacyTable* child = FindLegacyTable(e.child_relation);
        ASSERT_NE(child, nullptr) << e.child_relation;
        EXPECT_NE(child->Column(e.child_column), nullptr) << e.child_relation << "." << e.child_column;
        if (e.rejects_orphans)
            orphans[std::string(e.child) + "." + std::string(e.child_column)] = std::string(e.parent);
    }
    EXPECT_EQ(orphans, (std::map<std::string, std::string>{{"samples.product_id", "products"},
                                                           {"tags.product_id", "products"},
                                                           {"favorites.user_id", "auth.users"},
                                                           {"favorites.product_id", "products"},
                                                           {"product_stats.product_id", "products"}}));
}

TEST(CatalogTest, SwitchRolesOfTheLegacyTables) {
    // docs/switch.md: every legacy table but auth.users is read-only after the
    // switch; auth.users and profiles stay on the auth path (sign-ups).
    std::set<std::string> guarded, auth_path, optional;
    for (const LegacyTable& t : LegacyTables()) {
        if (t.guarded) guarded.insert(t.Key());
        if (t.auth_path) auth_path.insert(t.Key());
        if (t.optional) optional.insert(t.Key());
    }
    EXPECT_EQ(guarded.count("auth.users"), 0u);
    EXPECT_EQ(guarded.size(), LegacyTables().size() - 1);
    EXPECT_EQ(auth_path, (std::set<std::string>{"auth.users", "profiles"}));
    EXPECT_EQ(optional, (std::set<std::string>{"trending_ideas", "admin_logs", "product_stats"}));
}

TEST(CatalogTest, SecurityMatrixNamesExistingColumnsAndUniquePolicies) {
    for (const V2Table& t : V2Tables()) {
        std::set<std::string> names;
        for (const Policy& p : t.policies) {
            EXPECT_TRUE(names.insert(std::string(p.name)).second) << t.name << ": policy " << p.name << " twice";
            EXPECT_TRUE(p.command == "SELECT" || p.command == "INSERT" || p.command == "UPDATE" ||
                        p.command == "DELETE")
                << p.name;
        }
        // Row level security on every table, and at least the admins' read
        // (but ai_tool_secrets: service_role only, which bypasses it).
        if (t.name != "ai_tool_secrets") {
            EXPECT_FALSE(t.policies.empty()) << t.name;
        }
    }
    // Gated and secret values live in tables of their own, which no API role
    // reads but through row level security (pack_files) or not at all
    // (ai_tool_secrets): `select *` on every other table hides nothing
    // (docs/security.md). A column that was gated on its row moved away.
    std::set<std::string> apart;
    for (const V2Table& t : V2Tables()) {
        for (const V2Column& c : t.columns) {
            if (c.secrecy != Secrecy::kGated && c.secrecy != Secrecy::kSecret) continue;
            if (c.until != 0) continue;
            apart.insert(std::string(t.name) + "." + std::string(c.name));
            EXPECT_TRUE(t.name == "pack_files" || t.name == "ai_tool_secrets") << t.name << "." << c.name;
        }
    }
    EXPECT_EQ(apart, (std::set<std::string>{"pack_files.file_url", "ai_tool_secrets.config"}));
    const V2Table* secrets = FindV2Table("ai_tool_secrets");
    ASSERT_NE(secrets, nullptr);
    EXPECT_TRUE(secrets->grants.empty()) << "ai_tool_secrets is for service_role only";
    for (const V2Table& t : V2Tables()) {
        for (const Grant& g : t.grants) {
            if (g.privileges.find("SELECT") != std::string_view::npos) {
                EXPECT_TRUE(g.columns.empty()) << t.name;
            }
        }
    }
}

TEST(CatalogTest, ShapeStepsAreNumberedInOrder) {
    int expected = 1;
    for (const ShapeStep& s : ShapeSteps()) EXPECT_EQ(s.number, expected++) << s.name;
    EXPECT_EQ(CurrentShape(), static_cast<int>(ShapeSteps().size()));
    for (const V2Table& t : V2Tables()) {
        EXPECT_GE(t.since, 1);
        EXPECT_LE(t.since, CurrentShape()) << t.name;
        for (const V2Column& c : t.columns) EXPECT_LE(c.since, CurrentShape()) << t.name << "." << c.name;
    }
}

TEST(CatalogTest, StepDdlCreatesEachObjectOnceAtItsStep) {
    std::map<std::string, int> tables, columns, indexes;
    const std::vector<CatalogRow> rows = TargetStepRows("\"tgt\"", "\"tgt_private\"");
    int last_step = 0;
    for (const CatalogRow& r : rows) {
        ASSERT_EQ(r.size(), 6u);
        const int step = std::stoi(*r[0]);
        EXPECT_GE(step, last_step) << "steps in order";
        last_step = step;
        const std::string& kind = *r[2];
        const std::string& sql = *r[5];
        EXPECT_TRUE(sql.find("\"tgt\".") != std::string::npos || sql.find("\"tgt_private\".") != std::string::npos)
            << sql;
        if (kind == "table") {
            EXPECT_TRUE(tables.emplace(*r[3], step).second) << *r[3];
        }
        if (kind == "column") {
            EXPECT_TRUE(columns.emplace(*r[3] + "." + *r[4], step).second) << *r[4];
        }
        if (kind == "index") {
            EXPECT_TRUE(indexes.emplace(*r[4], step).second) << *r[4];
        }
    }
    for (const V2Table& t : V2Tables()) {
        ASSERT_EQ(tables.count(std::string(t.name)), 1u) << t.name;
        EXPECT_EQ(tables[std::string(t.name)], t.since) << t.name;
        for (const V2Column& c : t.columns) {
            const std::string key = std::string(t.name) + "." + std::string(c.name);
            if (c.since > t.since) {
                EXPECT_EQ(columns[key], c.since) << key << " is added by its step";
            } else {
                EXPECT_EQ(columns.count(key), 0u) << key << " comes with its table";
            }
        }
        for (const V2Index& i : t.indexes) EXPECT_EQ(indexes.count(std::string(i.name)), 1u) << i.name;
    }
}

TEST(CatalogTest, CatalogueRowsHaveTheirFunctionsColumnCounts) {
    // The column counts of the dskv2_catalog_* functions (src/sql/catalog/).
    const std::vector<std::pair<std::vector<CatalogRow>, std::size_t>> sets = {
        {CatalogTableRows(), 13u},   {CatalogColumnRows(), 13u}, {CatalogForeignKeyRows(), 8u},
        {CatalogSecurityRows(), 8u}, {CatalogLegacyRows(), 11u}, {CatalogEdgeRows(), 6u},
        {CatalogMappingRows(), 6u}};
    for (const auto& [rows, width] : sets) {
        EXPECT_FALSE(rows.empty());
        for (const CatalogRow& r : rows) EXPECT_EQ(r.size(), width);
    }
}

TEST(TemplateTest, ABraceInsideAPlaceholderIsRefused) {
    const TableMapping& m = *FindMapping("categories");
    const SqlNames names{"\"src\"", "\"tgt\"", "\"ext\"", true, 0};
    const SourceColumns columns;
    const detail::Context ctx{m, names, columns, RowSet::kPending, ParentMode::kTarget, {}};
    EXPECT_EQ(detail::Expand("a @{tgt} b", ctx), "a \"tgt\" b");
    EXPECT_EQ(detail::Expand("@{window:x @{tgt} y}", ctx), "x \"tgt\" y");
    EXPECT_EQ(detail::Expand("'{}'::jsonb @{src}", ctx), "'{}'::jsonb \"src\"") << "braces outside are plain SQL";
    EXPECT_THROW(detail::Expand("@{window:'{}'::jsonb}", ctx), Error);
    EXPECT_THROW(detail::Expand("@{window:'{a}'}", ctx), Error);
    EXPECT_THROW(detail::Expand("@{window:x", ctx), Error);
    EXPECT_THROW(detail::Expand("@{nonsense}", ctx), Error);
}

}  // namespace
}  // namespace dskv2::core
