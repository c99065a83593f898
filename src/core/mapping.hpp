// The V1 -> V2 mapping (SPEC §4), described once. Every consumer (plan, the
// atomic and batched migrations, retry, and later verification and live sync)
// gets its SQL from this description, so a rule is never written twice.
//
// The core only produces SQL text: the glue supplies the catalog (which legacy
// columns exist) and quoted schema names, and runs the statements.
#pragma once

#include "core/pg_free.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dskv2::core {

struct ColumnSpec {
    std::string_view name;
    std::string_view type;  // SQL type used when an optional column is missing
    bool required;
};

// One legacy relation read by a mapping, under a query alias.
struct RelationSpec {
    std::string_view alias;
    bool in_auth_schema;  // auth.users; otherwise the source schema
    std::string_view name;
    std::vector<ColumnSpec> columns;
    bool unknown_to_legacy;  // unknown columns go to the V2 row's legacy jsonb
};

enum class Writer {
    kInsert,     // one V2 row per accepted legacy row
    kTags,       // one tag per distinct slug, a pack_tags row per legacy row, merges
    kFavorites,  // duplicates (user, pack) merge into the earliest
};

struct TableMapping {
    std::string_view name;       // report name: "auth.users", "products", ...
    std::string_view target;     // V2 table
    std::string_view key_type;   // SQL type of the legacy key (uuid, integer)
    std::string_view target_key; // V2 column holding the legacy key (for "already migrated")
    std::vector<RelationSpec> relations;
    std::vector<std::string_view> parents;  // must be migrated first (55000 otherwise)
    std::string_view mapped;     // template: the mapped rows (see mapping.cpp)
    std::string_view row_data;   // template: the quarantined row as jsonb, @{key} = key text
    std::string_view done;       // template: the legacy row is in V2, @{key} = typed key
    std::vector<std::string_view> insert_columns;  // kInsert: V2 columns copied from the mapped rows
    std::string_view slug_column;    // "" when the table has no slug
    std::string_view slug_fallback;  // slug of an empty base ("pack", "category", "idea")
    Writer writer;
};

// All mappings in report order (SPEC §4): auth.users, categories, products,
// samples, tags, favorites, product_stats, trending_ideas, admin_logs.
const std::vector<TableMapping>& Mappings();
const TableMapping* FindMapping(std::string_view name);

// What the catalog says: for each legacy relation ("auth.users", "profiles",
// ...) the columns it has. A relation absent from the map does not exist.
using Catalog = std::map<std::string, std::vector<std::string>, std::less<>>;

std::string RelationKey(const RelationSpec& relation);

// Quoted identifiers, as the glue got them from quote_identifier().
struct SqlNames {
    std::string source;     // legacy schema
    std::string target;     // V2 schema
    std::string extension;  // where the dskv2_* functions live
    bool target_exists = true;  // false: a dry run before the first migration (no V2 tables yet)
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

struct DriftItem {
    std::string relation;
    std::string column;  // empty for a missing relation
    enum class Kind { kMissingTable, kMissingRequired, kMissingOptional, kUnknown } kind;
};

// Missing relations, missing columns and unknown columns of one mapping.
std::vector<DriftItem> Drift(const TableMapping& mapping, const Catalog& catalog);

// Throws Error{kUndefinedTable} / Error{kUndefinedColumn} (naming
// "table.column") when the mapping cannot run on this catalog.
void CheckRunnable(const TableMapping& mapping, const Catalog& catalog);

// SELECT of the mapped rows: _source, _key (text), _reason, _warn, _o1, _o2
// (processing order: _o1 NULLS LAST, _o2), mapping-specific helper columns,
// then the V2 columns.
std::string MappedRowsSql(const TableMapping& mapping, const SqlNames& names,
                          const Catalog& catalog, RowSet rows, ParentMode parents);

// One statement that migrates the row set and returns one row
// (rows_read, rows_written, rows_merged, rows_rejected, warnings).
// kKeys expects the batch's keys as $1 text[]. kQuarantined (retry) also
// removes the rows that now pass from the quarantine.
std::string MigrateSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                       RowSet rows, std::int64_t run_id);

// A batched run's staging: the pending rows mapped once, set-based, numbered
// in processing order (_seq), to be written batch by batch with kStaged.
std::string StageSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog);

// Verification (dskv2_verify_integrity): ONE statement, so every check sees
// one snapshot, returning rows (check_name, table_name, ok, expected, actual,
// detail, diff_keys text[]) for every check of SPEC §5. At most max_keys
// differing keys are listed per check.
std::string VerifySql(const SqlNames& names, const Catalog& catalog, int max_keys);

// Live sync of a kInsert mapping (SPEC §9): brings the V2 rows of the keys
// $1 (text[]) in line with their legacy rows, in one statement: a row that
// maps is inserted (with a new slug) or updated (its slug kept); a row the
// mapping rejects is quarantined and its V2 row kept as it was, unless $2
// (boolean: the legacy row was deleted) is true; a key without legacy row
// leaves V2. Returns one row (rows_read, rows_written, rows_updated,
// rows_deleted, rows_rejected).
std::string SyncSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
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
std::string SyncInsertSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                          std::int64_t run_id);
std::string SyncUpdateSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog);
std::string SyncDeleteSql(const TableMapping& mapping, const SqlNames& names);
// One row, `unchanged`: true when the key maps, is in V2 exactly as it maps
// (every column SyncUpdateSql writes) and is not quarantined (nothing to do).
std::string SyncUnchangedSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog);

// Live sync of a merging mapping (tags, favorites), first step: the V2 rows
// the keys $1 belong to are taken apart (the V2 row of each group and the
// merge records of its members), so that MigrateSql(kKeys) with the returned
// keys (one row, one text[] column) writes the groups again from legacy
// alone. A rejected change ($2 false) is quarantined and leaves its group alone.
std::string UnlinkSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                      std::int64_t run_id);

// The catch-up of live sync: the keys (one text column, k) whose V2 state no
// longer follows their legacy row: migrated rows changed or deleted in legacy,
// merge and quarantine records of deleted legacy rows. Rows never migrated
// (pending) are left to the migration.
std::string ReconcileKeysSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog);

// The dry run of one mapping: one row (pending bigint, predicted_rejects
// bigint, reject_reasons jsonb) over the pending rows.
std::string PlanSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog);

}  // namespace dskv2::core
