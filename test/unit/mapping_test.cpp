// Unit tests of the V1 -> V2 mapping description (dskv2::core::Mappings and the
// SQL it generates), against docs/mapping.md (the legacy schema, required columns,
// auth.users secrecy, unknown columns to `legacy`), §3 (V2 targets) and §4
// (report order, parents, slugs, rejects, re-runs).
//
// The expected legacy schema below is transcribed from docs/mapping.md, "The legacy schema", not from
// mapping.cpp, so a drift between the two shows up here.
#include "core/mapping.hpp"

#include "core/catalog.hpp"
#include "core/errors.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dskv2::core {
namespace {

// What the database has: the legacy columns by relation.
using Catalog = SourceColumns;

// The catalogue's description of a relation a mapping reads.
const LegacyTable& Table(const RelationSpec& r) { return *FindLegacyTable(r.table); }
std::string RelationKey(const RelationSpec& r) { return std::string(r.table); }

// A mapping's allocated slug column ("" when it has none).
std::string_view SlugColumn(const TableMapping& m) { return m.table->slug_allocated ? m.table->slug_column : ""; }

// Plain GoogleTest (the unit-test binary does not link gmock).
::testing::AssertionResult Contains(const std::string& text, const std::string& needle) {
    if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "missing \"" << needle << "\" in:\n" << text;
}

::testing::AssertionResult Lacks(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    if (at == std::string::npos) return ::testing::AssertionSuccess();
    const std::size_t from = at < 200 ? 0 : at - 200;
    return ::testing::AssertionFailure() << "unexpected \"" << needle << "\" at " << at << ", near: ..."
                                         << text.substr(from, 400 + needle.size()) << "...";
}

// --- The legacy schema, transcribed ---------------------------------------------

struct SpecColumn {
    std::string name;
    std::string type;  // the SQL type a missing optional column reads as (serial -> integer)
    bool required;
};

struct SpecRelation {
    std::string key;  // catalog key: "auth.users", "profiles", ...
    std::vector<SpecColumn> columns;
};

constexpr bool R = true;   // required (docs/mapping.md, "Required and optional columns")
constexpr bool O = false;  // optional

const std::vector<SpecRelation>& SpecSchema() {
    static const std::vector<SpecRelation> schema = {
        {"auth.users",
         {{"id", "uuid", R},
          {"email", "text", R},
          {"raw_user_meta_data", "jsonb", O},
          {"created_at", "timestamptz", O},
          {"updated_at", "timestamptz", O},
          {"last_sign_in_at", "timestamptz", O},
          {"deleted_at", "timestamptz", O}}},
        {"profiles",
         {{"id", "uuid", R},
          {"full_name", "text", O},
          {"avatar_url", "text", O},
          {"role", "text", O},
          {"subscription_status", "text", O},
          {"stripe_customer_id", "text", O},
          {"created_at", "timestamptz", O},
          {"updated_at", "timestamptz", O}}},
        {"categories",
         {{"id", "integer", R},
          {"name", "text", R},
          {"description", "text", O},
          {"icon", "text", O},
          {"created_at", "timestamptz", O}}},
        {"products",
         {{"id", "uuid", R},
          {"title", "text", R},
          {"description", "text", O},
          {"price", "numeric(10,2)", O},
          {"category_id", "integer", O},
          {"thumbnail_url", "text", O},
          {"file_url", "text", O},
          {"format", "text", O},
          {"language", "text", O},
          {"is_premium", "boolean", O},
          {"is_published", "boolean", O},
          {"created_by", "uuid", O},
          {"created_at", "timestamptz", O},
          {"updated_at", "timestamptz", O}}},
        {"samples",
         {{"id", "integer", R},
          {"product_id", "uuid", R},
          {"title", "text", O},
          {"file_url", "text", R},
          {"file_type", "text", O},
          {"created_at", "timestamptz", O}}},
        {"tags", {{"id", "integer", R}, {"product_id", "uuid", R}, {"name", "text", R}}},
        {"favorites",
         {{"id", "integer", R}, {"user_id", "uuid", R}, {"product_id", "uuid", R}, {"created_at", "timestamptz", O}}},
        {"product_stats",
         {{"product_id", "uuid", R},
          {"views", "integer", O},
          {"downloads", "integer", O},
          {"favorites_count", "integer", O},
          {"last_viewed_at", "timestamptz", O},
          {"updated_at", "timestamptz", O}}},
        {"trending_ideas",
         {{"id", "integer", R},
          {"title", "text", R},
          {"description", "text", O},
          {"category", "text", O},
          {"score", "numeric", O},
          {"source", "text", O},
          {"metadata", "jsonb", O},
          {"created_at", "timestamptz", O}}},
        {"admin_logs",
         {{"id", "integer", R},
          {"admin_id", "uuid", O},
          {"action", "text", R},
          {"target_type", "text", O},
          {"target_id", "text", O},
          {"details", "jsonb", O},
          {"ip_address", "text", O},
          {"created_at", "timestamptz", O}}},
    };
    return schema;
}

const std::vector<std::string> kReportOrder = {"auth.users", "categories",    "products",       "samples",   "tags",
                                               "favorites",  "product_stats", "trending_ideas", "admin_logs"};

// Columns a real Supabase auth.users has beyond the list of docs/mapping.md: never read.
const std::vector<std::string> kAuthUsersExtras = {"instance_id",          "aud",
                                                   "encrypted_password",   "email_confirmed_at",
                                                   "invited_at",           "confirmation_token",
                                                   "confirmation_sent_at", "recovery_token",
                                                   "recovery_sent_at",     "email_change_token_new",
                                                   "email_change",         "raw_app_meta_data",
                                                   "is_super_admin",       "phone",
                                                   "phone_confirmed_at",   "phone_change_token",
                                                   "banned_until",         "reauthentication_token",
                                                   "is_sso_user",          "is_anonymous"};

Catalog FullCatalog() {
    Catalog catalog;
    for (const SpecRelation& r : SpecSchema()) {
        std::vector<std::string>& columns = catalog[r.key];
        for (const SpecColumn& c : r.columns) columns.push_back(c.name);
    }
    return catalog;
}

Catalog Without(Catalog catalog, const std::string& relation, const std::string& column) {
    std::vector<std::string>& columns = catalog.at(relation);
    columns.erase(std::remove(columns.begin(), columns.end(), column), columns.end());
    return catalog;
}

Catalog With(Catalog catalog, const std::string& relation, const std::vector<std::string>& extra) {
    std::vector<std::string>& columns = catalog.at(relation);
    columns.insert(columns.end(), extra.begin(), extra.end());
    return catalog;
}

// Quoted as quote_identifier() would: a schema named  my "odd" schema  etc.
SqlNames OddNames() {
    return SqlNames{"\"my \"\"odd\"\" schema\"", "\"v2 \"\"odd\"\" target\"", "\"ext \"\"odd\"\"\""};
}

const TableMapping& Get(const std::string& name) {
    const TableMapping* m = FindMapping(name);
    if (m == nullptr) throw std::logic_error("no mapping " + name);
    return *m;
}

const char* RowSetName(RowSet rows) {
    switch (rows) {
        case RowSet::kPending:
            return "kPending";
        case RowSet::kKeys:
            return "kKeys";
        case RowSet::kQuarantined:
            return "kQuarantined";
        case RowSet::kStaged:
            return "kStaged";
        case RowSet::kAll:
            return "kAll";
        case RowSet::kSync:
            return "kSync";
    }
    return "?";
}

constexpr RowSet kAllRowSets[] = {RowSet::kPending, RowSet::kKeys, RowSet::kQuarantined};
constexpr ParentMode kAllParentModes[] = {ParentMode::kTarget, ParentMode::kPredicted};

// Every statement the core can generate for a mapping, labelled.
std::vector<std::pair<std::string, std::string>> AllSql(const TableMapping& m, const SqlNames& names,
                                                        const Catalog& catalog) {
    std::vector<std::pair<std::string, std::string>> out;
    for (RowSet rows : kAllRowSets) {
        for (ParentMode parents : kAllParentModes) {
            out.emplace_back(std::string("MappedRowsSql ") + RowSetName(rows) +
                                 (parents == ParentMode::kTarget ? " kTarget" : " kPredicted"),
                             MappedRowsSql(m, names, catalog, rows, parents));
        }
        out.emplace_back(std::string("MigrateSql ") + RowSetName(rows), MigrateSql(m, names, catalog, rows, 42));
    }
    out.emplace_back("MigrateSql kStaged", MigrateSql(m, names, catalog, RowSet::kStaged, 42));
    out.emplace_back("StageSql", StageSql(m, names, catalog));
    out.emplace_back("MappedRowsSql kAll", MappedRowsSql(m, names, catalog, RowSet::kAll, ParentMode::kTarget));
    out.emplace_back("VerifySql", VerifySql(names, catalog, 10));
    out.emplace_back("PlanSql", PlanSql(m, names, catalog));
    out.emplace_back("MappedRowsSql kSync", MappedRowsSql(m, names, catalog, RowSet::kSync, ParentMode::kTarget));
    out.emplace_back("SyncInsertSql", SyncInsertSql(m, names, catalog, 42));
    if (m.merge == Merge::kNone) {
        out.emplace_back("SyncSql", SyncSql(m, names, catalog, 42));
        out.emplace_back("SyncUpdateSql", SyncUpdateSql(m, names, catalog));
        out.emplace_back("SyncUnchangedSql", SyncUnchangedSql(m, names, catalog));
    } else {
        out.emplace_back("UnlinkSql", UnlinkSql(m, names, catalog, 42));
        out.emplace_back("SyncDeleteSql", SyncDeleteSql(m, names, catalog));
    }
    out.emplace_back("ReconcileKeysSql", ReconcileKeysSql(m, names, catalog));
    return out;
}

std::size_t CountOf(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) {
        ++n;
    }
    return n;
}

// The number of arguments of every jsonb_build_object(...) call in sql
// (string literals and quoted identifiers skipped, nested parentheses counted).
std::vector<int> BuildObjectArgCounts(const std::string& sql) {
    static const std::string kCall = "jsonb_build_object(";
    std::vector<int> counts;
    for (std::size_t p = sql.find(kCall); p != std::string::npos; p = sql.find(kCall, p + 1)) {
        std::size_t i = p + kCall.size();
        int depth = 0;
        int commas = 0;
        bool any = false;
        while (i < sql.size()) {
            const char c = sql[i];
            if (c == '\'' || c == '"') {
                any = true;
                ++i;
                while (i < sql.size()) {
                    if (sql[i] == c) {
                        if (i + 1 < sql.size() && sql[i + 1] == c) {
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    ++i;
                }
                continue;
            }
            if (c == '(') {
                ++depth;
            } else if (c == ')') {
                if (depth == 0) break;
                --depth;
            } else if (c == ',' && depth == 0) {
                ++commas;
            }
            if (!std::isspace(static_cast<unsigned char>(c))) any = true;
            ++i;
        }
        counts.push_back(any ? commas + 1 : 0);
    }
    return counts;
}

std::vector<std::string> Names(const std::vector<std::string_view>& views) {
    return std::vector<std::string>(views.begin(), views.end());
}

// --- The mapping table ------------------------------------------------------------

TEST(MappingTest, NineTablesInReportOrder) {
    std::vector<std::string> names;
    for (const TableMapping& m : Mappings()) names.emplace_back(m.name);
    EXPECT_EQ(names, kReportOrder);
}

TEST(MappingTest, Targets) {
    const std::vector<std::string> expected = {"users",     "categories", "packs",          "samples",   "pack_tags",
                                               "favorites", "pack_stats", "trending_ideas", "admin_logs"};
    std::vector<std::string> targets;
    for (const TableMapping& m : Mappings()) targets.emplace_back(m.target);
    EXPECT_EQ(targets, expected);
}

TEST(MappingTest, Parents) {
    EXPECT_TRUE(Get("auth.users").parents.empty());
    EXPECT_TRUE(Get("categories").parents.empty());
    EXPECT_EQ(Names(Get("products").parents), (std::vector<std::string>{"categories"}));
    EXPECT_EQ(Names(Get("samples").parents), (std::vector<std::string>{"products"}));
    EXPECT_EQ(Names(Get("tags").parents), (std::vector<std::string>{"products"}));
    // Users are checked before packs (docs/mapping.md, "Rejects").
    EXPECT_EQ(Names(Get("favorites").parents), (std::vector<std::string>{"auth.users", "products"}));
    EXPECT_EQ(Names(Get("product_stats").parents), (std::vector<std::string>{"products"}));
    EXPECT_EQ(Names(Get("trending_ideas").parents), (std::vector<std::string>{"categories"}));
    EXPECT_TRUE(Get("admin_logs").parents.empty());
}

TEST(MappingTest, ParentsComeFirstInReportOrder) {
    std::set<std::string> seen;
    for (const TableMapping& m : Mappings()) {
        for (std::string_view parent : m.parents) {
            EXPECT_TRUE(seen.count(std::string(parent))) << m.name << " is listed before its parent " << parent;
            EXPECT_NE(FindMapping(parent), nullptr) << parent;
        }
        seen.emplace(m.name);
    }
}

TEST(MappingTest, KeyTypesFollowLegacyPrimaryKeys) {
    // The legacy schema: uuid PKs for auth.users, products, product_stats; serial elsewhere.
    const std::map<std::string, std::string> expected = {
        {"auth.users", "uuid"},    {"categories", "integer"},     {"products", "uuid"},
        {"samples", "integer"},    {"tags", "integer"},           {"favorites", "integer"},
        {"product_stats", "uuid"}, {"trending_ideas", "integer"}, {"admin_logs", "integer"}};
    for (const TableMapping& m : Mappings()) {
        EXPECT_EQ(m.key_type, expected.at(std::string(m.name))) << m.name;
    }
}

TEST(MappingTest, WritersAndSlugs) {
    // docs/mapping.md: tags and favorites merge; slugs on categories, packs, trending_ideas
    // with fallbacks category, pack, idea.
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        if (m.name == "tags") {
            EXPECT_EQ(m.merge, Merge::kBySlug);
        } else if (m.name == "favorites") {
            EXPECT_EQ(m.merge, Merge::kByPair);
        } else {
            EXPECT_EQ(m.merge, Merge::kNone);
        }
    }
    const std::map<std::string, std::string> fallbacks = {
        {"categories", "category"}, {"products", "pack"}, {"trending_ideas", "idea"}};
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        auto it = fallbacks.find(std::string(m.name));
        if (it == fallbacks.end()) {
            EXPECT_EQ(SlugColumn(m), "");
        } else {
            EXPECT_EQ(SlugColumn(m), "slug");
            EXPECT_EQ(m.table->slug_fallback, it->second);
        }
    }
}

TEST(MappingTest, RelationsRead) {
    const TableMapping& users = Get("auth.users");
    ASSERT_EQ(users.relations.size(), 2u);
    EXPECT_TRUE((Table(users.relations[0]).schema == LegacySchema::kAuth));
    EXPECT_EQ(RelationKey(users.relations[0]), "auth.users");
    EXPECT_FALSE(Table(users.relations[0]).unknown_to_legacy);  // extras of auth.users are never read
    EXPECT_FALSE((Table(users.relations[1]).schema == LegacySchema::kAuth));
    EXPECT_EQ(RelationKey(users.relations[1]), "profiles");
    EXPECT_TRUE(Table(users.relations[1]).unknown_to_legacy);
    for (const TableMapping& m : Mappings()) {
        if (m.name == "auth.users") continue;
        SCOPED_TRACE(std::string(m.name));
        ASSERT_EQ(m.relations.size(), 1u);
        EXPECT_FALSE((Table(m.relations[0]).schema == LegacySchema::kAuth));
        EXPECT_EQ(RelationKey(m.relations[0]), m.name);
        EXPECT_TRUE(Table(m.relations[0]).unknown_to_legacy);  // public: unknown columns -> legacy
    }
}

TEST(MappingTest, ColumnsMatchSpecLegacySchema) {
    std::map<std::string, const LegacyTable*> read;
    for (const TableMapping& m : Mappings()) {
        for (const RelationSpec& r : m.relations) {
            EXPECT_TRUE(read.emplace(RelationKey(r), &Table(r)).second) << RelationKey(r) << " is described twice";
        }
    }
    EXPECT_EQ(read.size(), SpecSchema().size());
    for (const SpecRelation& spec : SpecSchema()) {
        SCOPED_TRACE(spec.key);
        auto it = read.find(spec.key);
        ASSERT_NE(it, read.end()) << "relation not read by any mapping";
        const LegacyTable& relation = *it->second;
        std::vector<std::string> expected_names;
        std::vector<std::string> actual_names;
        for (const SpecColumn& c : spec.columns) expected_names.push_back(c.name);
        for (const LegacyColumn& c : relation.columns) actual_names.emplace_back(c.name);
        std::sort(actual_names.begin(), actual_names.end());
        std::sort(expected_names.begin(), expected_names.end());
        EXPECT_EQ(actual_names, expected_names);
        for (const SpecColumn& expected : spec.columns) {
            auto c = std::find_if(relation.columns.begin(), relation.columns.end(),
                                  [&](const LegacyColumn& s) { return s.name == expected.name; });
            if (c == relation.columns.end()) continue;  // reported above
            EXPECT_EQ(c->required, expected.required)
                << spec.key << "." << expected.name << " should be " << (expected.required ? "required" : "optional");
            if (!expected.required) {
                EXPECT_EQ(c->type, expected.type) << spec.key << "." << expected.name;
            }
        }
    }
}

TEST(MappingTest, RequiredColumnsAreExactlySpecList) {
    // docs/mapping.md, "Required and optional columns", verbatim.
    const std::map<std::string, std::set<std::string>> expected = {{"auth.users", {"id", "email"}},
                                                                   {"profiles", {"id"}},
                                                                   {"categories", {"id", "name"}},
                                                                   {"products", {"id", "title"}},
                                                                   {"samples", {"id", "product_id", "file_url"}},
                                                                   {"tags", {"id", "product_id", "name"}},
                                                                   {"favorites", {"id", "user_id", "product_id"}},
                                                                   {"product_stats", {"product_id"}},
                                                                   {"trending_ideas", {"id", "title"}},
                                                                   {"admin_logs", {"id", "action"}}};
    std::map<std::string, std::set<std::string>> actual;
    for (const TableMapping& m : Mappings()) {
        for (const RelationSpec& r : m.relations) {
            std::set<std::string>& required = actual[RelationKey(r)];
            for (const LegacyColumn& c : Table(r).columns) {
                if (c.required) required.emplace(c.name);
            }
        }
    }
    EXPECT_EQ(actual, expected);
}

TEST(MappingTest, FindMapping) {
    for (const TableMapping& m : Mappings()) {
        EXPECT_EQ(FindMapping(m.name), &m) << m.name;
    }
    EXPECT_EQ(FindMapping("users"), nullptr);  // a V2 name, not a report name
    EXPECT_EQ(FindMapping("packs"), nullptr);
    EXPECT_EQ(FindMapping("profiles"), nullptr);  // read by auth.users, not a mapping
    EXPECT_EQ(FindMapping(""), nullptr);
    EXPECT_EQ(FindMapping("Products"), nullptr);
    EXPECT_EQ(FindMapping("products "), nullptr);
    EXPECT_EQ(FindMapping("user_packs"), nullptr);  // starts empty (docs/mapping.md, "Mapping rules")
}

// --- Drift and CheckRunnable ---------------------------------------------------------

std::string Show(const DriftItem& d) {
    static const char* const kKinds[] = {"kMissingTable", "kMissingRequired", "kMissingOptional", "kUnknown",
                                         "kUnknownSecret"};
    return "{" + d.relation + ", \"" + d.column + "\", " + kKinds[static_cast<int>(d.kind)] + "}";
}

// Drift items as sorted strings (the order of Drift's answer is not specified).
std::vector<std::string> D(const std::vector<DriftItem>& items) {
    std::vector<std::string> out;
    for (const DriftItem& d : items) out.push_back(Show(d));
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> Strings(std::initializer_list<DriftItem> items) { return D(std::vector<DriftItem>(items)); }

using Kind = DriftItem::Kind;

TEST(MappingDriftTest, FullCatalogHasNoDrift) {
    const Catalog catalog = FullCatalog();
    for (const TableMapping& m : Mappings()) {
        EXPECT_EQ(D(Drift(m, catalog)), Strings({})) << m.name;
        EXPECT_NO_THROW(CheckRunnable(m, catalog)) << m.name;
    }
}

TEST(MappingDriftTest, MissingTable) {
    Catalog catalog = FullCatalog();
    catalog.erase("products");
    EXPECT_EQ(D(Drift(Get("products"), catalog)), Strings({DriftItem{"products", "", Kind::kMissingTable}}));
    // Other mappings' own drift is unaffected.
    EXPECT_EQ(D(Drift(Get("samples"), catalog)), Strings({}));

    Catalog no_profiles = FullCatalog();
    no_profiles.erase("profiles");
    EXPECT_EQ(D(Drift(Get("auth.users"), no_profiles)), Strings({DriftItem{"profiles", "", Kind::kMissingTable}}));

    Catalog no_auth = FullCatalog();
    no_auth.erase("auth.users");
    EXPECT_EQ(D(Drift(Get("auth.users"), no_auth)), Strings({DriftItem{"auth.users", "", Kind::kMissingTable}}));
}

TEST(MappingDriftTest, MissingRequiredAndOptionalColumns) {
    Catalog catalog = Without(Without(FullCatalog(), "products", "title"), "products", "price");
    catalog = Without(catalog, "products", "thumbnail_url");
    EXPECT_EQ(D(Drift(Get("products"), catalog)), Strings({{"products", "title", Kind::kMissingRequired},
                                                           {"products", "price", Kind::kMissingOptional},
                                                           {"products", "thumbnail_url", Kind::kMissingOptional}}));

    const Catalog users = Without(Without(FullCatalog(), "auth.users", "email"), "profiles", "role");
    EXPECT_EQ(D(Drift(Get("auth.users"), users)),
              Strings({{"auth.users", "email", Kind::kMissingRequired}, {"profiles", "role", Kind::kMissingOptional}}));
}

TEST(MappingDriftTest, EveryColumnDriftsWithItsSpecKind) {
    for (const SpecRelation& spec : SpecSchema()) {
        for (const SpecColumn& c : spec.columns) {
            SCOPED_TRACE(spec.key + "." + c.name);
            const Catalog catalog = Without(FullCatalog(), spec.key, c.name);
            const DriftItem expected{spec.key, c.name, c.required ? Kind::kMissingRequired : Kind::kMissingOptional};
            std::vector<DriftItem> all;
            for (const TableMapping& m : Mappings()) {
                const std::vector<DriftItem> d = Drift(m, catalog);
                all.insert(all.end(), d.begin(), d.end());
            }
            EXPECT_EQ(D(all), Strings({expected}));
        }
    }
}

TEST(MappingDriftTest, UnknownPublicColumnsAreReported) {
    const Catalog catalog = With(With(FullCatalog(), "products", {"legacy_sku", "old_flag"}), "profiles", {"nickname"});
    EXPECT_EQ(D(Drift(Get("products"), catalog)),
              Strings({{"products", "legacy_sku", Kind::kUnknown}, {"products", "old_flag", Kind::kUnknown}}));
    EXPECT_EQ(D(Drift(Get("auth.users"), catalog)), Strings({DriftItem{"profiles", "nickname", Kind::kUnknown}}));
    EXPECT_NO_THROW(CheckRunnable(Get("products"), catalog));
    EXPECT_NO_THROW(CheckRunnable(Get("auth.users"), catalog));
}

TEST(MappingDriftTest, AuthUsersExtrasAreSilentlyIgnored) {
    const Catalog catalog = With(FullCatalog(), "auth.users", kAuthUsersExtras);
    EXPECT_EQ(D(Drift(Get("auth.users"), catalog)), Strings({}));
    EXPECT_NO_THROW(CheckRunnable(Get("auth.users"), catalog));
    // ... while an optional §2 column missing there is still reported.
    const Catalog partial = Without(catalog, "auth.users", "deleted_at");
    EXPECT_EQ(D(Drift(Get("auth.users"), partial)),
              Strings({DriftItem{"auth.users", "deleted_at", Kind::kMissingOptional}}));
}

template <typename F>
void ExpectError(F&& f, ErrorCode code, const std::string& fragment) {
    try {
        f();
        ADD_FAILURE() << "no Error thrown (expected one mentioning " << fragment << ")";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), code) << e.what();
        EXPECT_TRUE(Contains(std::string(e.what()), fragment));
    }
}

TEST(MappingDriftTest, CheckRunnableMissingRequiredColumn) {
    const Catalog catalog = Without(FullCatalog(), "products", "title");
    ExpectError([&] { CheckRunnable(Get("products"), catalog); }, ErrorCode::kUndefinedColumn, "products.title");
    // The SQL generators refuse too: nothing can be run on that catalog.
    ExpectError([&] { MappedRowsSql(Get("products"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget); },
                ErrorCode::kUndefinedColumn, "products.title");
    ExpectError([&] { MigrateSql(Get("products"), OddNames(), catalog, RowSet::kPending, 1); },
                ErrorCode::kUndefinedColumn, "products.title");

    ExpectError([&] { CheckRunnable(Get("auth.users"), Without(FullCatalog(), "auth.users", "email")); },
                ErrorCode::kUndefinedColumn, "auth.users.email");
    ExpectError([&] { CheckRunnable(Get("samples"), Without(FullCatalog(), "samples", "file_url")); },
                ErrorCode::kUndefinedColumn, "samples.file_url");
}

TEST(MappingDriftTest, CheckRunnableEveryRequiredColumn) {
    for (const SpecRelation& spec : SpecSchema()) {
        for (const SpecColumn& c : spec.columns) {
            if (!c.required) continue;
            const Catalog catalog = Without(FullCatalog(), spec.key, c.name);
            for (const TableMapping& m : Mappings()) {
                bool reads = false;
                for (const RelationSpec& r : m.relations) reads |= RelationKey(r) == spec.key;
                if (!reads) continue;
                SCOPED_TRACE(std::string(m.name) + " without " + spec.key + "." + c.name);
                ExpectError([&] { CheckRunnable(m, catalog); }, ErrorCode::kUndefinedColumn, spec.key + "." + c.name);
            }
        }
    }
}

TEST(MappingDriftTest, CheckRunnableOptionalColumnMissingIsFine) {
    for (const SpecRelation& spec : SpecSchema()) {
        Catalog catalog = FullCatalog();
        for (const SpecColumn& c : spec.columns) {
            if (!c.required) catalog = Without(catalog, spec.key, c.name);
        }
        for (const TableMapping& m : Mappings()) {
            EXPECT_NO_THROW(CheckRunnable(m, catalog)) << m.name << " without optional columns of " << spec.key;
        }
    }
}

TEST(MappingDriftTest, CheckRunnableMissingTable) {
    Catalog catalog = FullCatalog();
    catalog.erase("products");
    ExpectError([&] { CheckRunnable(Get("products"), catalog); }, ErrorCode::kUndefinedTable, "products");
    ExpectError([&] { PlanSql(Get("products"), OddNames(), catalog); }, ErrorCode::kUndefinedTable, "products");

    Catalog no_profiles = FullCatalog();
    no_profiles.erase("profiles");
    ExpectError([&] { CheckRunnable(Get("auth.users"), no_profiles); }, ErrorCode::kUndefinedTable, "profiles");
    Catalog no_auth = FullCatalog();
    no_auth.erase("auth.users");
    ExpectError([&] { CheckRunnable(Get("auth.users"), no_auth); }, ErrorCode::kUndefinedTable, "auth.users");
}

// --- Generated SQL -------------------------------------------------------------------

TEST(MappingSqlTest, EveryStatementIsFullyExpanded) {
    const Catalog catalog = With(FullCatalog(), "products", {"legacy_sku"});
    for (const TableMapping& m : Mappings()) {
        for (const auto& [label, sql] : AllSql(m, OddNames(), catalog)) {
            SCOPED_TRACE(std::string(m.name) + " " + label);
            EXPECT_FALSE(sql.empty());
            EXPECT_EQ(sql.find("@{"), std::string::npos) << sql;
            // Parentheses balance (string literals and identifiers aside).
            int depth = 0;
            bool ok = true;
            char quote = 0;
            for (char c : sql) {
                if (quote != 0) {
                    if (c == quote) quote = 0;  // a doubled quote re-opens at once
                    continue;
                }
                if (c == '\'' || c == '"')
                    quote = c;
                else if (c == '(')
                    ++depth;
                else if (c == ')' && --depth < 0)
                    ok = false;
            }
            EXPECT_TRUE(ok && depth == 0 && quote == 0) << sql;
        }
    }
}

TEST(MappingSqlTest, MissingOptionalColumnReadsAsTypedNull) {
    const Catalog full = FullCatalog();
    const Catalog catalog = Without(full, "products", "price");
    const std::string with = MappedRowsSql(Get("products"), OddNames(), full, RowSet::kPending, ParentMode::kTarget);
    const std::string without =
        MappedRowsSql(Get("products"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Contains(with, "s.\"price\""));
    EXPECT_TRUE(Lacks(with, "NULL::numeric"));
    EXPECT_TRUE(Lacks(without, "s.\"price\""));
    EXPECT_TRUE(Contains(without, "NULL::numeric"));
}

TEST(MappingSqlTest, EveryOptionalColumnIsReadOrNull) {
    // docs/mapping.md: every other listed column is optional; when missing it reads as
    // NULL. So each is read (alias."col") when present, and never when missing.
    const Catalog full = FullCatalog();
    for (const TableMapping& m : Mappings()) {
        for (const RelationSpec& r : m.relations) {
            const std::string key = RelationKey(r);
            for (const LegacyColumn& c : Table(r).columns) {
                if (c.required) continue;
                SCOPED_TRACE(std::string(m.name) + ": " + key + "." + std::string(c.name));
                const std::string ref = std::string(r.alias) + ".\"" + std::string(c.name) + "\"";
                const std::string present = MigrateSql(m, OddNames(), full, RowSet::kPending, 7);
                EXPECT_TRUE(Contains(present, ref));
                const std::string missing =
                    MigrateSql(m, OddNames(), Without(full, key, std::string(c.name)), RowSet::kPending, 7);
                EXPECT_TRUE(Lacks(missing, ref));
                EXPECT_TRUE(Contains(missing, "NULL::" + std::string(c.type)));
            }
        }
    }
}

TEST(MappingSqlTest, UnknownColumnGoesToLegacyJson) {
    const Catalog catalog = With(FullCatalog(), "products", {"legacy_sku"});
    const std::string sql = MappedRowsSql(Get("products"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Contains(sql, "jsonb_build_object('legacy_sku', s.\"legacy_sku\")"));

    const std::string none =
        MappedRowsSql(Get("products"), OddNames(), FullCatalog(), RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Lacks(none, "jsonb_build_object"));

    // profiles' unknown columns go to users.legacy.
    const Catalog profiles = With(FullCatalog(), "profiles", {"nickname"});
    EXPECT_TRUE(Contains(MappedRowsSql(Get("auth.users"), OddNames(), profiles, RowSet::kPending, ParentMode::kTarget),
                         "'nickname', p.\"nickname\""));
}

// Secret-like unknown columns (docs/mapping.md, "Unknown columns"): never in
// legacy; in _secrets, written to legacy_secrets by the statements that
// write V2 rows; "[redacted]" in the quarantine's row_data; no fast path.
TEST(MappingSqlTest, SecretLikeUnknownColumnsGoApart) {
    const Catalog catalog = With(FullCatalog(), "products", {"download_token", "legacy_sku"});
    EXPECT_EQ(D(Drift(Get("products"), catalog)), Strings({{"products", "download_token", Kind::kUnknownSecret},
                                                           {"products", "legacy_sku", Kind::kUnknown}}));
    SqlNames names = OddNames();
    const std::string mapped = MappedRowsSql(Get("products"), names, catalog, RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Contains(mapped, "jsonb_build_object('legacy_sku', s.\"legacy_sku\")"));
    EXPECT_TRUE(Contains(mapped, "jsonb_build_object('download_token', s.\"download_token\")"));
    EXPECT_TRUE(Lacks(mapped, "'download_token', s.\"download_token\"), '{}'::jsonb) AS legacy"));
    EXPECT_TRUE(Contains(mapped, "AS _secrets"));
    // Without legacy_secrets (a dry run, an older shape): written nowhere.
    EXPECT_TRUE(Lacks(MigrateSql(Get("products"), names, catalog, RowSet::kPending, 7), "secrets_written"));
    names.secrets = "\"v2 private\".legacy_secrets";
    const std::string migrate = MigrateSql(Get("products"), names, catalog, RowSet::kPending, 7);
    EXPECT_TRUE(Contains(migrate, "secrets_written AS (INSERT INTO \"v2 private\".legacy_secrets"));
    EXPECT_TRUE(Contains(migrate, "SELECT 'products', x._key, e.key, e.value FROM mapped x"));
    EXPECT_TRUE(Contains(
        migrate, "(to_jsonb(s) - 'download_token') || jsonb_build_object('download_token', '[redacted]'::text)"));
    const std::string sync = SyncSql(Get("products"), names, catalog, 7);
    EXPECT_TRUE(Contains(sync, "secrets_written AS"));
    EXPECT_TRUE(Contains(sync, "secrets_gone AS (DELETE FROM \"v2 private\".legacy_secrets"));
    EXPECT_TRUE(Contains(SyncInsertSql(Get("products"), names, catalog, 7), "no_fast_path WHERE false"));
    EXPECT_TRUE(Contains(SyncUpdateSql(Get("products"), names, catalog), "no_fast_path WHERE false"));
    EXPECT_TRUE(Contains(SyncUnchangedSql(Get("products"), names, catalog), "no_fast_path WHERE false"));
    EXPECT_TRUE(Contains(ReconcileKeysSql(Get("products"), names, catalog), "IS DISTINCT FROM m._secrets"));
    EXPECT_TRUE(Contains(VerifySql(names, catalog, 10), "AS c__secrets"));
    // A merging mapping: its fast delete does nothing either, its unlink drops gone values.
    const Catalog tags = With(FullCatalog(), "tags", {"secret_note"});
    EXPECT_TRUE(Contains(SyncDeleteSql(Get("tags"), names, tags), " AND false"));
    EXPECT_TRUE(Contains(UnlinkSql(Get("tags"), names, tags, 7), "secrets_gone AS"));
    // Without such a column nothing changes: the fast paths stay.
    EXPECT_TRUE(Lacks(SyncInsertSql(Get("products"), names, FullCatalog(), 7), "no_fast_path"));
    EXPECT_TRUE(Lacks(SyncDeleteSql(Get("tags"), names, FullCatalog()), " AND false"));
    EXPECT_TRUE(Lacks(MigrateSql(Get("products"), names, FullCatalog(), RowSet::kPending, 7), "legacy_secrets"));
}

TEST(MappingSqlTest, UnknownColumnNamesAreQuoted) {
    const Catalog catalog = With(FullCatalog(), "categories", {"o'brien", "we\"ird col"});
    const std::string sql =
        MappedRowsSql(Get("categories"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Contains(sql, "'o''brien', s.\"o'brien\""));
    EXPECT_TRUE(Contains(sql, "'we\"ird col', s.\"we\"\"ird col\""));
}

// A column name with a backslash cannot end its literal early, even where
// standard_conforming_strings is off: the literal is E'...' with the backslash
// doubled (docs/security.md, "Generated SQL").
TEST(MappingSqlTest, BackslashInAColumnNameStaysInsideItsLiteral) {
    const std::string evil = "\\', public.pwn())),NULL) AS legacy --";
    const Catalog catalog = With(FullCatalog(), "profiles", {evil});
    const std::string sql =
        MappedRowsSql(Get("auth.users"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget);
    EXPECT_TRUE(Contains(sql, "E'\\\\'', public.pwn())),NULL) AS legacy --', p.\"" + evil + "\""));
    EXPECT_TRUE(Lacks(sql, "'\\''"));
}

TEST(MappingSqlTest, ManyUnknownColumnsAreSplitUnderTheArgumentLimit) {
    struct Case {
        int unknown;
        std::size_t calls;
    };
    for (Case c :
         {Case{1, 1}, Case{49, 1}, Case{50, 1}, Case{51, 2}, Case{100, 2}, Case{101, 3}, Case{120, 3}, Case{400, 8}}) {
        SCOPED_TRACE(std::to_string(c.unknown) + " unknown columns");
        std::vector<std::string> extra;
        for (int i = 0; i < c.unknown; ++i) extra.push_back("x_col_" + std::to_string(i));
        const Catalog catalog = With(FullCatalog(), "categories", extra);
        const std::string sql =
            MappedRowsSql(Get("categories"), OddNames(), catalog, RowSet::kPending, ParentMode::kTarget);
        EXPECT_EQ(CountOf(sql, "jsonb_build_object("), c.calls);
        int total = 0;
        for (int n : BuildObjectArgCounts(sql)) {
            EXPECT_LE(n, 100);
            EXPECT_EQ(n % 2, 0);
            total += n;
        }
        EXPECT_EQ(total, 2 * c.unknown);
        for (const std::string& col : extra) {
            EXPECT_EQ(CountOf(sql, "'" + col + "', s.\"" + col + "\""), 1u) << col;
        }
    }
}

TEST(MappingSqlTest, EveryStatementRespectsTheArgumentLimit) {
    std::vector<std::string> extra;
    for (int i = 0; i < 130; ++i) extra.push_back("x_col_" + std::to_string(i));
    Catalog catalog = FullCatalog();
    for (const SpecRelation& r : SpecSchema()) catalog = With(catalog, r.key, extra);
    for (const TableMapping& m : Mappings()) {
        for (const auto& [label, sql] : AllSql(m, OddNames(), catalog)) {
            SCOPED_TRACE(std::string(m.name) + " " + label);
            for (int n : BuildObjectArgCounts(sql)) EXPECT_LE(n, 100);
        }
    }
}

TEST(MappingSqlTest, AuthUsersSecretsNeverAppear) {
    // docs/mapping.md: from auth.users only the listed columns are ever read.
    Catalog catalog = With(FullCatalog(), "auth.users", kAuthUsersExtras);
    catalog = With(catalog, "products", {"legacy_sku"});
    for (const TableMapping& m : Mappings()) {
        for (const auto& [label, sql] : AllSql(m, OddNames(), catalog)) {
            SCOPED_TRACE(std::string(m.name) + " " + label);
            for (const std::string& secret : kAuthUsersExtras) {
                EXPECT_TRUE(Lacks(sql, secret));
            }
            // Nor through a whole-row conversion of auth.users.
            for (const char* whole :
                 {"to_jsonb(a)", "to_json(a)", "row_to_json(a)", "a.*", "to_jsonb(oa)", "to_jsonb(au)"}) {
                EXPECT_TRUE(Lacks(sql, whole));
            }
        }
    }
}

TEST(MappingSqlTest, KeysRowSetTakesATextArray) {
    const Catalog catalog = FullCatalog();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string keys = MappedRowsSql(m, OddNames(), catalog, RowSet::kKeys, ParentMode::kTarget);
        EXPECT_TRUE(Contains(keys, "$1::text[]"));
        EXPECT_TRUE(Contains(MigrateSql(m, OddNames(), catalog, RowSet::kKeys, 3), "$1::text[]"));
        EXPECT_TRUE(Lacks(MigrateSql(m, OddNames(), catalog, RowSet::kPending, 3), "$1"));
        EXPECT_TRUE(Lacks(MigrateSql(m, OddNames(), catalog, RowSet::kQuarantined, 3), "$1"));
        EXPECT_TRUE(Lacks(PlanSql(m, OddNames(), catalog), "$1"));
        EXPECT_TRUE(Lacks(StageSql(m, OddNames(), catalog), "$1"));
    }
}

TEST(MappingSqlTest, RetryReleasesRowsFromQuarantine) {
    const SqlNames names = OddNames();
    const std::string del = "DELETE FROM " + names.target + ".migration_rejects";
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        EXPECT_TRUE(Contains(MigrateSql(m, names, FullCatalog(), RowSet::kQuarantined, 9), del));
        EXPECT_TRUE(Lacks(MigrateSql(m, names, FullCatalog(), RowSet::kPending, 9), "DELETE"));
        EXPECT_TRUE(Lacks(MigrateSql(m, names, FullCatalog(), RowSet::kKeys, 9), "DELETE"));
    }
}

TEST(MappingSqlTest, MigrateSqlRecordsRejectsAndRunId) {
    const SqlNames names = OddNames();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string sql = MigrateSql(m, names, FullCatalog(), RowSet::kPending, 123456789012);
        EXPECT_TRUE(Contains(sql, "INSERT INTO " + names.target + ".migration_rejects"));
        EXPECT_TRUE(Contains(sql, "123456789012::bigint"));
        for (const char* column : {"rows_read", "rows_written", "rows_merged", "rows_rejected", "warnings"}) {
            EXPECT_TRUE(Contains(sql, column));
        }
    }
}

TEST(MappingSqlTest, PredictedParentsEmbedTheParentsMappedRows) {
    const SqlNames names = OddNames();
    const Catalog catalog = FullCatalog();
    const std::string products = names.source + ".products";
    const std::string categories = names.source + ".categories";

    const std::string target = MappedRowsSql(Get("favorites"), names, catalog, RowSet::kPending, ParentMode::kTarget);
    const std::string predicted =
        MappedRowsSql(Get("favorites"), names, catalog, RowSet::kPending, ParentMode::kPredicted);
    EXPECT_TRUE(Lacks(target, products));
    EXPECT_TRUE(Lacks(target, "FROM auth.users"));
    EXPECT_TRUE(Contains(predicted, products));
    EXPECT_TRUE(Contains(predicted, "FROM auth.users"));
    // Grand-parents are predicted too: a pack predicted rejected is no parent.
    EXPECT_TRUE(Contains(predicted, categories));

    const std::string plan = PlanSql(Get("favorites"), names, catalog);
    EXPECT_TRUE(Contains(plan, products));
    EXPECT_TRUE(Contains(plan, "FROM auth.users"));

    for (const char* child : {"samples", "tags", "product_stats"}) {
        SCOPED_TRACE(child);
        EXPECT_TRUE(Contains(PlanSql(Get(child), names, catalog), products));
        EXPECT_TRUE(Lacks(MigrateSql(Get(child), names, catalog, RowSet::kPending, 1), products));
        EXPECT_TRUE(Lacks(StageSql(Get(child), names, catalog), products));
    }
}

TEST(MappingSqlTest, StageIsInProcessingOrder) {
    for (const TableMapping& m : Mappings()) {
        const std::string sql = StageSql(m, OddNames(), FullCatalog());
        EXPECT_TRUE(Contains(sql, "_o1 NULLS LAST")) << m.name;
    }
}

TEST(MappingSqlTest, QuotedNamesAppearVerbatim) {
    const SqlNames names = OddNames();
    const Catalog catalog = FullCatalog();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string sql = MigrateSql(m, names, catalog, RowSet::kPending, 1);
        for (const RelationSpec& r : m.relations) {
            if (Table(r).schema == LegacySchema::kAuth) {
                EXPECT_TRUE(Contains(sql, "auth." + std::string(Table(r).name)));
            } else {
                EXPECT_TRUE(Contains(sql, names.source + "." + std::string(Table(r).name)));
            }
        }
        EXPECT_TRUE(Contains(sql, names.target + "."));
        for (const auto& [label, text] : AllSql(m, names, catalog)) {
            SCOPED_TRACE(label);
            EXPECT_TRUE(Lacks(text, "my \"odd\" schema"));  // never unquoted
            EXPECT_TRUE(Lacks(text, "v2 \"odd\" target"));
            EXPECT_TRUE(Lacks(text, "public."));
            EXPECT_TRUE(Lacks(text, "dropskills_v2."));
        }
    }
    const std::string packs = MigrateSql(Get("products"), names, catalog, RowSet::kPending, 1);
    EXPECT_TRUE(Contains(packs, "INSERT INTO \"v2 \"\"odd\"\" target\".packs"));
    EXPECT_TRUE(Contains(packs, "FROM \"my \"\"odd\"\" schema\".products s"));
    EXPECT_TRUE(Contains(packs, "\"ext \"\"odd\"\"\".dskv2_slugify("));
    EXPECT_TRUE(Contains(packs, "\"ext \"\"odd\"\"\".dskv2_claim_slug("));
    EXPECT_TRUE(Contains(MigrateSql(Get("samples"), names, catalog, RowSet::kPending, 1),
                         "\"ext \"\"odd\"\"\".dskv2_detect_sample_type("));
}

TEST(MappingSqlTest, QuotedNameInsideALiteralIsEscaped) {
    // The slug allocator gets the target table as a regclass literal: a quote
    // in the schema name must be doubled there, never close the literal.
    SqlNames names = OddNames();
    names.target = "\"o'hara\"";
    for (const char* mapping : {"categories", "products", "trending_ideas"}) {
        SCOPED_TRACE(mapping);
        const std::string sql = MigrateSql(Get(mapping), names, FullCatalog(), RowSet::kPending, 1);
        EXPECT_TRUE(Contains(sql, "'\"o''hara\"." + std::string(Get(mapping).target) + "'::regclass"));
        EXPECT_TRUE(Lacks(sql, "'\"o'hara\""));
    }
}

TEST(MappingSqlTest, StagedBatchesReadTheStageInSeqOrder) {
    const Catalog catalog = FullCatalog();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string stage = StageSql(m, OddNames(), catalog);
        EXPECT_TRUE(Contains(stage, "row_number() OVER (ORDER BY m._o1 NULLS LAST, m._o2) AS _seq"));
        const std::string batch = MigrateSql(m, OddNames(), catalog, RowSet::kStaged, 7);
        EXPECT_TRUE(Contains(batch, "pg_temp.dskv2_stage st WHERE st._seq > $1 AND st._seq <= $2"));
    }
}

TEST(MappingSqlTest, SlugMappingsClaimWithTheirFallback) {
    const Catalog catalog = FullCatalog();
    const std::map<std::string, std::string> fallbacks = {
        {"categories", "category"}, {"products", "pack"}, {"trending_ideas", "idea"}};
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string sql = MigrateSql(m, OddNames(), catalog, RowSet::kPending, 1);
        auto it = fallbacks.find(std::string(m.name));
        if (it == fallbacks.end()) {
            EXPECT_TRUE(Lacks(sql, "dskv2_claim_slug"));
        } else {
            EXPECT_TRUE(Contains(sql, "dskv2_claim_slug("));
            // A one-transaction run loads the whole slug column (lazy = false) ...
            EXPECT_TRUE(Contains(sql, "'" + it->second + "', false)"));
            // ... a batch loads only its stems (lazy = true).
            // Keys are live sync's: lazy, and serialised per stem.
            const std::string batch = MigrateSql(m, OddNames(), catalog, RowSet::kKeys, 1);
            EXPECT_TRUE(Contains(batch, "'" + it->second + "', true, true)"));
        }
    }
}

// --- Live sync -------------------------------------------------------------------------

TEST(MappingSyncTest, SyncRowSetIsEveryRowOfTheKeysMigratedOrNot) {
    const SqlNames names = OddNames();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string sync = MappedRowsSql(m, names, FullCatalog(), RowSet::kSync, ParentMode::kTarget);
        const std::string keys = MappedRowsSql(m, names, FullCatalog(), RowSet::kKeys, ParentMode::kTarget);
        EXPECT_TRUE(Contains(sync, "= ANY ($1::text[]::"));
        // kKeys skips rows already migrated or quarantined; kSync must see them.
        EXPECT_TRUE(Contains(keys, ".migration_rejects rq"));
        EXPECT_TRUE(Lacks(sync, ".migration_rejects rq"));
        EXPECT_LT(CountOf(sync, "NOT EXISTS"), CountOf(keys, "NOT EXISTS"));
    }
}

TEST(MappingSyncTest, OneRowMappingsUpdateInPlaceAndKeepTheirSlug) {
    const SqlNames names = OddNames();
    for (const TableMapping& m : Mappings()) {
        if (m.merge != Merge::kNone) continue;
        SCOPED_TRACE(std::string(m.name));
        const std::string table = names.target + "." + std::string(m.target);
        const std::string sync = SyncSql(m, names, FullCatalog(), 77);
        EXPECT_TRUE(Contains(sync, "UPDATE " + table + " v SET "));
        EXPECT_TRUE(Contains(sync, "INSERT INTO " + table + " ("));
        EXPECT_TRUE(Contains(sync, "DELETE FROM " + table + " v WHERE"));
        EXPECT_TRUE(Contains(sync, "INSERT INTO " + names.target + ".migration_rejects"));
        EXPECT_TRUE(Contains(sync, "$2::boolean"));
        EXPECT_TRUE(Contains(sync, "77::bigint"));
        for (const char* column : {"rows_read", "rows_written", "rows_updated", "rows_deleted", "rows_rejected"}) {
            EXPECT_TRUE(Contains(sync, column)) << column;
        }
        // The fast paths: one plain statement each, reporting quarantined keys
        // (with a side table, pack_files, the mapped row once in a CTE, and the
        // side row written in the same statement).
        const std::string update = SyncUpdateSql(m, names, FullCatalog());
        const std::string insert = SyncInsertSql(m, names, FullCatalog(), 77);
        EXPECT_TRUE(Contains(update, "UPDATE " + table + " v SET "));
        EXPECT_TRUE(Contains(insert, "INSERT INTO " + table + " AS v ("));
        const bool side = !SideTables(m, names).empty();
        EXPECT_EQ(side, m.name == "products");
        for (const std::string& fast : {update, insert}) {
            if (side) {
                EXPECT_TRUE(Contains(fast, "INSERT INTO " + names.target + ".pack_files AS f")) << fast;
            } else {
                EXPECT_TRUE(Lacks(fast, "WITH ")) << fast;
            }
            EXPECT_TRUE(Contains(fast, "AS quarantined"));
            EXPECT_TRUE(Lacks(fast, "INSERT INTO " + names.target + ".migration_rejects"));
        }
        if (side) {
            EXPECT_TRUE(Contains(SyncUnchangedSql(m, names, FullCatalog()), ".pack_files f WHERE f.pack_id"));
        } else {
            EXPECT_TRUE(Lacks(update, "INSERT")) << "the update path only updates";
        }
        // The probe compares every column the update writes, so it may run first.
        const std::string unchanged = SyncUnchangedSql(m, names, FullCatalog());
        EXPECT_TRUE(Contains(unchanged, "AS unchanged"));
        EXPECT_TRUE(Contains(unchanged, ") IS NOT DISTINCT FROM (x."));
        EXPECT_TRUE(Lacks(unchanged, "UPDATE")) << unchanged;
        if (!SlugColumn(m).empty()) {
            // Only new rows claim a slug, serialised (the last argument).
            EXPECT_EQ(CountOf(sync, "dskv2_claim_slug("), 1u);
            EXPECT_TRUE(Contains(sync, "x._slug_base, '" + std::string(m.table->slug_fallback) + "', true, true)"));
            EXPECT_TRUE(Lacks(sync, std::string(SlugColumn(m)) + " = x."));
            EXPECT_TRUE(Lacks(update, std::string(SlugColumn(m)) + " = x."));
            EXPECT_TRUE(Contains(MigrateSql(m, names, FullCatalog(), RowSet::kKeys, 1), "', true, true)"));
            EXPECT_TRUE(Lacks(MigrateSql(m, names, FullCatalog(), RowSet::kStaged, 1), "', true, true)"));
        }
    }
}

TEST(MappingSyncTest, MergingMappingsAreTakenApartThenWrittenAgain) {
    const SqlNames names = OddNames();
    for (const char* name : {"tags", "favorites"}) {
        SCOPED_TRACE(name);
        const TableMapping& m = Get(name);
        const std::string unlink = UnlinkSql(m, names, FullCatalog(), 5);
        const std::string table = names.target + "." + (std::string(name) == "tags" ? "pack_tags" : "favorites");
        EXPECT_TRUE(Contains(unlink, "DELETE FROM " + table + " v USING groups"));
        EXPECT_TRUE(Contains(unlink, "DELETE FROM " + names.target + ".migration_merges mm"));
        EXPECT_TRUE(Contains(unlink, "AS keys"));
        EXPECT_THROW(SyncSql(m, names, FullCatalog(), 5), Error);
        EXPECT_THROW(SyncUpdateSql(m, names, FullCatalog()), Error);
        // Fast paths: a new pair only (a known pair is a merge), a lone owner only.
        EXPECT_TRUE(Contains(SyncInsertSql(m, names, FullCatalog(), 5), "DO NOTHING"));
        EXPECT_TRUE(Contains(SyncDeleteSql(m, names, FullCatalog()),
                             "NOT EXISTS (SELECT 1 FROM " + names.target + ".migration_merges mm"));
    }
    EXPECT_THROW(UnlinkSql(Get("products"), names, FullCatalog(), 5), Error);
    EXPECT_THROW(SyncDeleteSql(Get("products"), names, FullCatalog()), Error);
}

TEST(MappingSyncTest, StagedBatchesSkipRowsSyncQuarantined) {
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        EXPECT_TRUE(Contains(MigrateSql(m, OddNames(), FullCatalog(), RowSet::kStaged, 1), ".migration_rejects rq"));
    }
}

TEST(MappingSyncTest, ReconcileReadsEveryLegacyRowAndLeavesPendingOnesAlone) {
    const SqlNames names = OddNames();
    for (const TableMapping& m : Mappings()) {
        SCOPED_TRACE(std::string(m.name));
        const std::string sql = ReconcileKeysSql(m, names, FullCatalog());
        EXPECT_TRUE(Lacks(sql, "$1"));
        EXPECT_TRUE(Contains(sql, "SELECT DISTINCT s.k FROM stale_keys s"));
        // Stale merge and quarantine records of rows that are gone.
        EXPECT_TRUE(Contains(sql, ".migration_merges mm WHERE mm.source_table = '" + std::string(m.name) + "'"));
        if (m.merge == Merge::kNone) {
            EXPECT_TRUE(Contains(sql, "v.migration_run_id IS NOT NULL"));
        } else {
            EXPECT_TRUE(Contains(sql, "migrated AS MATERIALIZED"));
        }
    }
}

}  // namespace
}  // namespace dskv2::core
