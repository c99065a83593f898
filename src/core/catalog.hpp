// The catalogue: the one description of the V2 tables and of the legacy tables
// that every consumer reads (docs/architecture.md, "The catalogue"): the V2
// DDL and its shape steps, constraints, identities, slugs, merges, the parent
// and child edges, live sync, the switch, the rollback and the security
// matrix. PL/pgSQL reads it through a few set-returning functions
// (dskv2_catalog_*); the SQL generator (mapping_*.cpp) through these types.
// No other file lists table names (test/scenarios/catalog_names.sh).
#pragma once

#include "core/pg_free.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dskv2::core {

// Who writes a V2 column, in each phase of the transition (docs/switch.md,
// "Who owns a column").
enum class Owner : unsigned char {
    kLegacy,     // follows legacy through the mapping (migration, live sync, the auth path)
    kV2,         // the application writes it in V2
    kExtension,  // only dskv2 writes it: slugs, provenance, bookkeeping, trigger rows
};

struct Ownership {
    Owner before_switch;
    Owner after_switch;
    Owner after_switch_back;
};

// What a column holds, for who may read it (docs/security.md, "Secret classes").
enum class Secrecy : unsigned char {
    kPublic,    // readable wherever its row is
    kPersonal,  // a user's personal data (erased with the user)
    kGated,     // reaches a user only through row level security (a pack's file URL)
    kSecret,    // for no API role but service_role (an AI tool's configuration)
    kInternal,  // the migration's bookkeeping (legacy values, provenance)
};

struct V2Column {
    std::string_view name;
    std::string_view type;  // as created: "uuid", "numeric(10,2)", "text COLLATE \"C\""
    std::string_view rest;  // the rest of its definition: NOT NULL, DEFAULT, CHECK, PRIMARY KEY ...
    int since = 1;          // the shape step that created it
    int until = 0;          // the shape step that moved it to a table of its own (0: never)
    bool mapped = false;    // written from the mapped legacy rows; compared by verification
    Secrecy secrecy = Secrecy::kPublic;
    std::string_view legacy_home;  // where its value lives in legacy: "products.title" ("" none)
    std::string_view inverse;      // the legacy value as SQL over `v` (the V2 row); "" none yet
    Ownership owner{Owner::kV2, Owner::kV2, Owner::kV2};
};

enum class TableRole : unsigned char {
    kContent,      // the application's data
    kLog,          // admin_logs: append-only, written by the audit trigger, never audited itself
    kMetering,     // ai_usage: written by the metering, never metered itself
    kLedger,       // ai_usage_daily: the metering's quota ledger
    kBookkeeping,  // the migration's own tables
};

enum class OnDelete : unsigned char { kNoAction, kCascade, kSetNull };

struct ForeignKey {
    std::string_view column;
    std::string_view parent;  // a V2 table, or "auth.users"
    std::string_view parent_column;
    OnDelete on_delete;
    bool indexed;           // an index <table>_<column>_idx (no when a key leads with the column)
    std::string_view name;  // "" for <table>_<column>_fkey
};

struct V2Index {
    std::string_view name;
    bool unique;
    std::string_view columns;  // "(lower(email))", "(source_table, target_key)"
    int since = 1;
};

// A row level security policy; `$admin` stands for the admin helper's call,
// `$uid` for (select auth.uid()), `$target` for the target schema.
struct Policy {
    std::string_view name;
    std::string_view command;  // SELECT, INSERT, UPDATE, DELETE
    std::string_view roles;    // "anon, authenticated"
    std::string_view using_expr;
    std::string_view check_expr;
};

// A grant to an API role; columns: "" for the whole table, else a column
// list (only for INSERT and UPDATE: an API role that reads a table reads every
// column of it, so that `select *` works; hidden values have tables of their
// own, docs/security.md).
struct Grant {
    std::string_view roles;
    std::string_view privileges;
    std::string_view columns;
};

// A merging mapping's V2 groups: one V2 row per pair.
struct PairSpec {
    std::string_view a, a_type;
    std::string_view b, b_type;
};

struct V2Table {
    std::string_view name;
    TableRole role = TableRole::kContent;
    int since = 1;
    std::vector<V2Column> columns;
    std::vector<std::string_view> constraints;  // table constraints of CREATE TABLE: "PRIMARY KEY (a, b)"
    std::vector<V2Index> indexes;
    std::vector<ForeignKey> foreign_keys;
    std::string_view identity;         // the identity column ("" none)
    std::string_view identity_legacy;  // the legacy table whose ids the identity must stay above ("" none)
    std::string_view slug_column;      // "" none
    std::string_view slug_fallback;    // the slug of an empty title
    bool slug_allocated = false;       // suffixes -2, -3 ... (false: the slug is the row's merge key)
    std::string_view provenance;       // the column set only on rows that came from legacy
    PairSpec pair;                     // merging tables: the pair a V2 row stands for
    bool audited = false;              // the audit trigger is attached by default
    std::vector<Policy> policies;
    std::vector<Grant> grants;                                         // to anon and authenticated (Supabase only)
    std::string_view service_role = "SELECT, INSERT, UPDATE, DELETE";  // privileges of service_role
    std::string_view comment;
    // A table of values kept apart from their row (pack_files, docs/security.md):
    // one row per row of `side_of`, keyed by `side_key` (the main table's
    // mapping key), written by the main table's mapping in the same statement.
    std::string_view side_of;
    std::string_view side_key;

    const V2Column* Column(std::string_view column) const;
};

enum class LegacySchema : unsigned char { kAuth, kSource };

struct LegacyColumn {
    std::string_view name;
    std::string_view type;  // the expected type (reference schema); also NULL::type for a missing optional column
    bool required;
    bool nullable = true;
};

// Every legacy table is read by the migration and watched by live sync.
struct LegacyTable {
    std::string_view name;  // bare: "users" (in auth), "profiles", "products" ...
    LegacySchema schema;
    std::string_view mapping;  // the mapping it feeds
    std::string_view key;      // its key column
    std::vector<LegacyColumn> columns;
    bool unknown_to_legacy;    // its unknown columns go to the V2 row's legacy jsonb
    bool optional = false;     // may be missing (recorded as absent)
    bool partitioned = false;  // may be a partitioned table
    bool guarded = true;       // read-only for the application after the switch
    bool auth_path = false;    // keeps syncing into V2 after the switch (sign-ups)

    std::string Qualified(std::string_view source) const;  // "auth.users" or source.name (quoted source)
    std::string Key() const;                               // "auth.users" or "profiles": the catalogue's name
    const LegacyColumn* Column(std::string_view column) const;
};

// A legacy child row and its parent mapping: a missing or rejected parent
// rejects the child (orphan_<...>) or only empties the reference (with a
// warning); must_migrate_first: dskv2_migrate_table refuses the child before.
struct Edge {
    std::string_view child;           // mapping
    std::string_view child_relation;  // legacy table of the child mapping
    std::string_view child_column;
    std::string_view parent;  // mapping
    bool rejects_orphans;
    bool must_migrate_first;
};

// One ordered, idempotent step of the target's shape (docs/architecture.md,
// "Target shape versions"): the tables, columns and indexes whose `since` is
// its number, then its own statements (data moves: `batch` ones are repeated
// until they change no row), and the policies whose expression it changes
// (dropped, then created again from the catalogue by dskv2_apply_security).
struct ShapeStep {
    int number;
    std::string_view name;
    std::string_view description;
    std::vector<std::string_view> statements;  // @{tgt}: the quoted target; @{private}: its quoted <target>_private
    std::vector<std::string_view> batches;
    std::vector<std::pair<std::string_view, std::string_view>> policies;  // (table, policy)
};

const std::vector<V2Table>& V2Tables();
const V2Table* FindV2Table(std::string_view name);
const std::vector<LegacyTable>& LegacyTables();
// By the catalogue's name: "auth.users", "profiles", ...
const LegacyTable* FindLegacyTable(std::string_view key);
// The legacy table a trigger fires on: by schema kind and bare name.
const LegacyTable* FindLegacyTable(LegacySchema schema, std::string_view name);
const std::vector<Edge>& Edges();
const std::vector<ShapeStep>& ShapeSteps();
int CurrentShape();
// <target>_private, as PostgreSQL names it: (target || '_private')::name,
// cut to 63 bytes at a UTF-8 character boundary.
std::string PrivateSchemaName(std::string_view target);
// The shape step that keeps secret-like unknown columns apart (legacy_secrets).
constexpr int kLegacySecretsStep = 5;

const char* OnDeleteSql(OnDelete action);
const char* TableRoleName(TableRole role);
const char* OwnerName(Owner owner);
const char* SecrecyName(Secrecy secrecy);

}  // namespace dskv2::core
