// What the statement families of the SQL generator (mapping_migrate.cpp,
// mapping_verify.cpp, mapping_sync.cpp) share: the template expander and a
// few builders. Not an interface of the core: include it from those files only.
#pragma once

#include "core/mapping.hpp"
#include "core/pg_free.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dskv2::core::detail {

// What a template is expanded for.
struct Context {
    const TableMapping& mapping;
    const SqlNames& names;
    const SourceColumns& columns;
    RowSet rows;
    ParentMode parents;
    std::string key;          // @{key} in `done` and `row_data` templates
    bool single_key = false;  // live sync's fast paths: the row set is one legacy key
};

// Expands the @{...} placeholders of a template (mapping_rules.cpp); an
// argument may hold placeholders, never a brace of its own (refused, since the
// first unbalanced `}` would end the placeholder).
std::string Expand(std::string_view text, const Context& ctx);

// The row-set predicate of `key` (an expression of the mapping's legacy key).
std::string RowsPredicate(const Context& ctx, std::string_view key);

std::string QuoteIdent(std::string_view name);
std::string QuoteLiteral(std::string_view text);

// run_id as a bigint literal.
std::string Run(std::int64_t run_id);

// `name AS (INSERT INTO migration_rejects ...)`: the rows of `from` with a
// reason are quarantined (or their record brought up to date).
std::string QuarantineCte(const Context& ctx, std::string_view from, std::int64_t run_id);

// The V2 columns a one-row mapping writes and their values from mapped rows
// `x`, the slug claimed last; claim_args: the allocator's trailing arguments
// (lazy, and serialize for live sync).
struct InsertLists {
    std::string columns;
    std::string values;
};
InsertLists InsertColumns(const TableMapping& m, const SqlNames& names, std::string_view claim_args);

// An in-place update of a one-row mapping's V2 rows `v` from mapped rows
// `alias`: the SET list (the key and the slug never change) and the two
// column rows to compare.
struct UpdateLists {
    std::string sets;
    std::string v2_cols;
    std::string mapped_cols;
};
UpdateLists UpdateColumns(const TableMapping& m, const SqlNames& names, const std::string& alias);

// The table whose slugs a by-slug merge groups by: the parent of the pair's
// second column (the tags of pack_tags).
const V2Table& SlugTableOf(const TableMapping& m);

// The V2 table of a mapping, qualified.
std::string TargetTable(const TableMapping& m, const SqlNames& names);

// The side tables of a one-row mapping (pack_files of packs, for the
// target's shape): `,\nside_<table> AS (INSERT ... ON CONFLICT DO UPDATE)`
// CTEs that bring them in line with the accepted rows of `from` (a FROM item
// aliased x), "" when the mapping has none. The statement must also write
// the main rows: the side row's foreign key is checked at its end.
std::string SideWrites(const TableMapping& m, const SqlNames& names, const std::string& from);
// ` AND EXISTS (...)`: the side rows of the mapped row `alias` hold what it
// maps to ("" when the mapping has none).
std::string SideUnchanged(const TableMapping& m, const SqlNames& names, const std::string& alias);
struct SideColumn {
    const V2Table* table;
    std::string_view column;
};
std::vector<SideColumn> SideColumns(const TableMapping& m, const SqlNames& names);
// The FROM item of a one-key fast path over `mapped` (alias it x), and the
// WITH clause it needs: "(mapped)" and nothing without side tables; with them
// the mapped row once (mx) and the side writes, so that the main statement
// stays a plain INSERT or UPDATE.
struct OneKeySource {
    std::string with;
    std::string from;
};
OneKeySource OneKeyWithSides(const TableMapping& m, const SqlNames& names, const std::string& mapped);

// The two sides of a merging mapping's comparison, one row per V2 group (k1,
// k2) with the columns the V2 row keeps (c1, c2): from the legacy rows `rows`
// (a FROM item aliased m) that map and pass `kept` (the first row of each
// group in processing order: the earliest favorite, the legacy jsonb kept),
// and from the V2 rows that came from legacy.
struct GroupSides {
    std::string legacy;
    std::string v2;
};
GroupSides GroupComparison(const TableMapping& m, const SqlNames& names, const std::string& rows,
                           const std::string& kept);

// Secret-like unknown columns (docs/mapping.md, "Unknown columns"): the
// relation of the mapping whose unknown columns go to legacy and that has
// present columns with a secret-like name, or nullptr. Its values go to
// <target>_private.legacy_secrets (names.secrets), never to legacy.
const LegacyTable* SecretsRelation(const TableMapping& m, const SourceColumns& columns);
// True when the statements of this mapping keep legacy_secrets in step: a
// secrets relation, and a target of the shape that has the table.
bool WritesSecrets(const TableMapping& m, const SqlNames& names, const SourceColumns& columns);
// `,\nsecrets_written AS (INSERT ...)`: the secret values of the accepted
// mapped rows of `from` (a FROM item aliased x), "" unless WritesSecrets.
std::string SecretsWrite(const TableMapping& m, const SqlNames& names, const SourceColumns& columns,
                         const std::string& from);
// `,\nsecrets_gone AS (DELETE ...)`: for the keys $1, the secret values whose
// legacy row is gone or no longer has them (a rejected change keeps them, as
// it keeps the V2 row); the statement's mapped rows are `mapped`.
std::string SecretsGone(const TableMapping& m, const SqlNames& names, const SourceColumns& columns);
// The secret values stored for the legacy key `key_text` (a text
// expression), as one jsonb object (NULL when none).
std::string StoredSecrets(const TableMapping& m, const SqlNames& names, const SourceColumns& columns,
                          const std::string& key_text);

}  // namespace dskv2::core::detail
