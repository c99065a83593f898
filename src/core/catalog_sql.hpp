// The catalogue (core/catalog.hpp) as SQL sees it: the rows of the
// dskv2_catalog_* set-returning functions, and the DDL of the target's shape
// steps. Each row's values are text in the column order of the SQL function
// that returns it (src/sql/catalog/), NULL as an empty optional.
#pragma once

#include "core/pg_free.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dskv2::core {

using CatalogRow = std::vector<std::optional<std::string>>;

// dskv2_catalog_tables(): ord, table_name, role, since, audited, identity,
// identity_legacy, slug_column, slug_fallback, slug_allocated, provenance,
// service_role, description.
std::vector<CatalogRow> CatalogTableRows();

// dskv2_catalog_columns(): table_name, ord, column_name, type, since, mapped,
// until (the step that moved it away, NULL none), secrecy, legacy_home, inverse, owner_before_switch,
// owner_after_switch, owner_after_switch_back.
std::vector<CatalogRow> CatalogColumnRows();

// dskv2_catalog_foreign_keys(): table_name, column_name, parent_schema
// ('target' or 'auth'), parent_table, parent_column, on_delete,
// constraint_name, index_name (NULL: no index of its own).
std::vector<CatalogRow> CatalogForeignKeyRows();

// dskv2_catalog_security(): table_name, kind ('grant' or 'policy'),
// policy_name, roles, privileges (a grant's) or command (a policy's), columns
// (a grant's column list, NULL for the whole table), using_expr, check_expr.
std::vector<CatalogRow> CatalogSecurityRows();

// dskv2_catalog_legacy(): ord, relation ("auth.users", "profiles", ...),
// schema ('auth' or 'source'), table_name, mapping, key_column, key_type,
// optional, partitioned, guarded, auth_path.
std::vector<CatalogRow> CatalogLegacyRows();

// dskv2_catalog_edges(): child, child_relation, child_column, parent,
// rejects_orphans, must_migrate_first.
std::vector<CatalogRow> CatalogEdgeRows();

// dskv2_catalog_mappings(): ord, source_table, target_table, parents (text[]),
// merge ('none', 'by_slug', 'by_pair'), plan_note.
std::vector<CatalogRow> CatalogMappingRows();

// dskv2_target_steps(target): step, step_name, kind ('table', 'column',
// 'index', 'statement', 'batch', 'policy'), table_name, object_name,
// statement: every shape step's DDL, in order, for the quoted target schema.
// 'table', 'column' and 'index' statements are run when their object is
// missing; 'statement', 'batch' and 'policy' ones only for steps the target
// has not recorded ('policy' drops a policy dskv2_apply_security then creates
// again from the catalogue).
std::vector<CatalogRow> TargetStepRows(const std::string& quoted_target, const std::string& quoted_private);

}  // namespace dskv2::core
