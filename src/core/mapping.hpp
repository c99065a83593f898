// The V1 -> V2 mapping (docs/mapping.md), described once, and the SQL every
// consumer runs, generated from it (docs/architecture.md, "The SQL
// generator"): the dry run, the atomic and batched migrations, the retry, the
// verification and live sync all get their statements from here, so a rule is
// never written twice.
//
// The per-table rules are templates (mapping_rules.cpp, a catalogue file); the
// statement families are built in mapping_migrate.cpp, mapping_verify.cpp and
// mapping_sync.cpp. The core only produces SQL text: the glue supplies which
// legacy columns exist and the quoted schema names, and runs the statements.
#pragma once

#include "core/catalog.hpp"
#include "core/pg_free.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dskv2::core {

// One legacy relation a mapping reads, under a query alias.
struct RelationSpec {
    std::string_view alias;
    std::string_view table;  // the catalogue's name: "auth.users", "profiles", ...
};

// How a mapping writes its V2 rows.
enum class Merge {
    kNone,    // one V2 row per accepted legacy row
    kBySlug,  // tags: one V2 tag per distinct slug, a pack_tags row per (pack, tag), duplicates merged
    kByPair,  // favorites: duplicates (user, pack) merged into the earliest
};

struct TableMapping {
    std::string_view name;                // report name, its primary relation: "auth.users", "products", ...
    std::string_view target;              // V2 table
    std::string_view target_key;          // V2 column holding the legacy key (for "already migrated")
    std::vector<RelationSpec> relations;  // the first one holds the mapping's rows
    Merge merge = Merge::kNone;
    std::string_view mapped;     // template: the mapped rows (mapping_rules.cpp)
    std::string_view row_data;   // template: the quarantined row as jsonb, @{key} = key text
    std::string_view done;       // template: the legacy row is in V2, @{key} = typed key
    std::string_view plan_note;  // what the dry run adds to its counts' note

    // From the catalogue.
    const LegacyTable* primary = nullptr;
    const V2Table* table = nullptr;
    std::string_view key_type;              // SQL type of the legacy key
    std::vector<std::string_view> parents;  // must be migrated first (55000 otherwise)
};

// All mappings in report order (docs/mapping.md): auth.users, categories,
// products, samples, tags, favorites, product_stats, trending_ideas, admin_logs.
const std::vector<TableMapping>& Mappings();
const TableMapping* FindMapping(std::string_view name);

// What live sync's trigger needs to know of the legacy table it fires on, as
// plain data for its C-style body (docs/architecture.md, "The boundary").
struct LegacyTriggerInfo {
    char mapping[64];  // the mapping the table feeds
    char target[64];   // the V2 table it writes
    char key[64];      // the table's key column
    bool merging;      // the mapping merges rows (groups rebuilt one writer at a time)
    char pair_a[64];   // a by-pair merge: the legacy columns of the pair ("" otherwise)
    char pair_b[64];
    bool primary;      // the table holds the mapping's rows (profiles do not)
    bool sign_ups;     // new rows wait for the end of their statement (auth.users)
    bool has_orphans;  // the mapping's deleted rows leave legacy children to quarantine
    int nrelations;    // the legacy relations the mapping reads
    struct {
        bool auth;  // in schema auth, else the legacy schema
        char name[64];
    } relations[2];
};

// Fills `out` for the legacy table (schema kind, bare name); false when the
// catalogue does not know it. Never throws.
bool DescribeLegacyTrigger(LegacySchema schema, const char* name, LegacyTriggerInfo* out) noexcept;

// What the database says: for each legacy relation (by the catalogue's name,
// "auth.users", "profiles", ...) the columns it has. A relation absent from
// the map does not exist.
using SourceColumns = std::map<std::string, std::vector<std::string>, std::less<>>;

// Quoted identifiers, as the glue got them from quote_identifier().
struct SqlNames {
    std::string source;         // legacy schema
    std::string target;         // V2 schema
    std::string extension;      // where the dskv2_* functions live
    bool target_exists = true;  // false: a dry run before the first migration (no V2 tables yet)
    int shape = 0;              // the target's shape version; 0: the current one
    // The quoted <target>_private.legacy_secrets (docs/mapping.md, "Unknown
    // columns"); empty: secret-like unknown columns are left out and written nowhere.
    std::string secrets{};

    int Shape() const { return shape > 0 ? shape : CurrentShape(); }
};

enum class RowSet {
    kPending,      // neither migrated nor quarantined
    kKeys,         // pending and in the key array $1 (text[]): one batch of keys
    kStaged,       // a batched run's batch: rows $1 < _seq <= $2 of the staged mapped
                   // rows (pg_temp.dskv2_stage, StageSql), still not migrated
    kAll,          // every legacy row (verification)
    kQuarantined,  // quarantined, not migrated: retry
    kSync,         // every legacy row whose key is in $1 (text[]), migrated or not: live sync
};

enum class ParentMode {
    kTarget,     // a parent counts when it is in V2 (migrations)
    kPredicted,  // ... or would be migrated now (the dry run, which writes nothing)
};

// The statements dskv2_mapping_sql() returns, by purpose (docs/architecture.md).
enum class Statement {
    kMapped,         // MappedRowsSql
    kMigrate,        // MigrateSql
    kPlan,           // PlanSql
    kStage,          // StageSql
    kVerify,         // VerifySql (every mapping at once)
    kSync,           // SyncSql, or UnlinkSql for a merging mapping
    kSyncInsert,     // SyncInsertSql
    kSyncUpdate,     // SyncUpdateSql
    kSyncUnchanged,  // SyncUnchangedSql
    kSyncDelete,     // SyncDeleteSql
    kReconcile,      // ReconcileKeysSql
};

// "migrate", "plan", ... as dskv2_mapping_sql() names them; false when unknown.
bool StatementFromName(std::string_view name, Statement* out);
bool RowSetFromName(std::string_view name, RowSet* out);
const std::vector<std::string_view>& StatementNames();

// The SQL of one statement; kVerify ignores `mapping` (it covers them all)
// and lists at most 10 differing keys per check.
std::string BuildStatement(Statement statement, const TableMapping& mapping, const SqlNames& names,
                           const SourceColumns& columns, RowSet rows, std::int64_t run_id);

struct DriftItem {
    std::string relation;
    std::string column;  // empty for a missing relation
    // kUnknownSecret: an unknown column with a secret-like name (legacy_secrets, never legacy)
    enum class Kind { kMissingTable, kMissingRequired, kMissingOptional, kUnknown, kUnknownSecret } kind;
};

// Missing relations, missing columns and unknown columns of one mapping.
std::vector<DriftItem> Drift(const TableMapping& mapping, const SourceColumns& columns);

// Throws Error{kUndefinedTable} / Error{kUndefinedColumn} (naming
// "table.column") when the mapping cannot run on these columns.
void CheckRunnable(const TableMapping& mapping, const SourceColumns& columns);

// The V2 columns a one-row mapping writes from its mapped rows, for the
// target's shape (a column a later shape step adds is left out of an older target).
std::vector<std::string_view> MappedColumns(const TableMapping& mapping, const SqlNames& names);

// The tables that keep values of the mapping's V2 rows apart (pack_files of
// packs, docs/security.md), in the target's shape; empty for most.
std::vector<const V2Table*> SideTables(const TableMapping& mapping, const SqlNames& names);

// SELECT of the mapped rows: _source, _key (text), _reason, _warn, _o1, _o2
// (processing order: _o1 NULLS LAST, _o2), mapping-specific helper columns,
// then the V2 columns.
std::string MappedRowsSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns, RowSet rows,
                          ParentMode parents);

// One statement that migrates the row set and returns one row
// (rows_read, rows_written, rows_merged, rows_rejected, warnings).
// kKeys expects the batch's keys as $1 text[]. kQuarantined (retry) also
// removes the rows that now pass from the quarantine.
std::string MigrateSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns, RowSet rows,
                       std::int64_t run_id);

// A batched run's staging: the pending rows mapped once, set-based, numbered
// in processing order (_seq), to be written batch by batch with kStaged.
std::string StageSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);

// The dry run of one mapping: one row (pending bigint, predicted_rejects
// bigint, reject_reasons jsonb) over the pending rows.
std::string PlanSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);

// Verification (dskv2_verify_integrity): ONE statement, so every check sees
// one snapshot, returning rows (check_name, table_name, ok, expected, actual,
// detail, diff_keys text[]) for every check of docs/verification.md. At most
// max_keys differing keys are listed per check.
std::string VerifySql(const SqlNames& names, const SourceColumns& columns, int max_keys);

// Live sync of a one-row mapping (docs/switch.md): brings the V2 rows of the
// keys $1 (text[]) in line with their legacy rows, in one statement: a row
// that maps is inserted (with a new slug) or updated (its slug kept); a row
// the mapping rejects is quarantined and its V2 row kept as it was, unless $2
// (boolean: the legacy row was deleted) is true; a key without legacy row
// leaves V2. Returns one row (rows_read, rows_written, rows_updated,
// rows_deleted, rows_rejected).
std::string SyncSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                    std::int64_t run_id);

// Live sync's fast paths: one plain statement each (no CTE, cheap to start),
// returning one row per V2 row written with a boolean `quarantined` (the key
// also has a quarantine record). When they write nothing, or a quarantined
// key, SyncSql / UnlinkSql take over.
//   SyncInsertSql: a new legacy row that maps, for the keys $1 (text[]); a
//     merging mapping's row only when its pair is new (and, for tags, its tag
//     exists);
//   SyncUpdateSql: a changed legacy row of a one-row mapping, in place (slug kept);
//   (both for ONE key in $1: rules comparing the keys' rows with each other are left out)
//   SyncDeleteSql: a deleted legacy row of a merging mapping that alone made
//     its V2 row.
std::string SyncInsertSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                          std::int64_t run_id);
std::string SyncUpdateSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);
std::string SyncDeleteSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);
// One row, `unchanged`: true when the key maps, is in V2 exactly as it maps
// (every column SyncUpdateSql writes) and is not quarantined (nothing to do).
std::string SyncUnchangedSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);

// Live sync of a merging mapping (tags, favorites), first step: the V2 rows
// the keys $1 belong to are taken apart (the V2 row of each group and the
// merge records of its members), so that MigrateSql(kKeys) with the returned
// keys (one row, one text[] column) writes the groups again from legacy
// alone. A rejected change ($2 false) is quarantined and leaves its group alone.
std::string UnlinkSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns,
                      std::int64_t run_id);

// The catch-up of live sync: the keys (one text column, k) whose V2 state no
// longer follows their legacy row: migrated rows changed or deleted in legacy,
// merge and quarantine records of deleted legacy rows. Rows never migrated
// (pending) are left to the migration.
std::string ReconcileKeysSql(const TableMapping& mapping, const SqlNames& names, const SourceColumns& columns);

}  // namespace dskv2::core
