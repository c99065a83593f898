// The catalogue (core/catalog.hpp) for PL/pgSQL: set-returning functions
// whose rows come from core/catalog_sql.hpp, as text converted by the
// declared result columns' input functions (src/sql/catalog/).
//   dskv2_catalog_tables()        the V2 tables: role, identity, slugs, provenance
//   dskv2_catalog_columns()       every V2 column: type, step, mapping, secrecy, owners
//   dskv2_catalog_foreign_keys()  the foreign keys, their delete action and index
//   dskv2_catalog_security()      the grants and policies of the security matrix
//   dskv2_catalog_legacy()        the legacy tables: mapping, key, sync, guard, auth path
//   dskv2_catalog_edges()         the parent and child edges between mappings
//   dskv2_catalog_mappings()      the mappings in report order
//   dskv2_target_steps(target)    the DDL of the target's shape steps
// Every entry point goes through Invoke (docs/architecture.md, "The boundary").
#include <string>
#include <vector>

#include "core/catalog.hpp"
#include "core/catalog_sql.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"
}

namespace {

using dskv2::pg::Call;
using dskv2::pg::Invoke;
namespace core = dskv2::core;

void InitSrfUnsafe(FunctionCallInfo fcinfo) { InitMaterializedSRF(fcinfo, 0); }

AttInMetadata* InMetadataUnsafe(TupleDesc desc) { return TupleDescGetAttInMetadata(desc); }

void PutCStringsUnsafe(ReturnSetInfo* rsinfo, AttInMetadata* meta, char** values) {
    HeapTuple tuple = BuildTupleFromCStrings(meta, values);
    tuplestore_puttuple(rsinfo->setResult, tuple);
    heap_freetuple(tuple);
}

// Returns `rows` as the function's result set. The strings stay alive (in
// `rows`) until every tuple is built; the C pointer array is a plain vector.
Datum ReturnRows(FunctionCallInfo fcinfo, const std::vector<core::CatalogRow>& rows) {
    Call(InitSrfUnsafe, fcinfo);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    AttInMetadata* meta = Call(InMetadataUnsafe, rsinfo->setDesc);
    const int natts = rsinfo->setDesc->natts;
    std::vector<char*> values(static_cast<size_t>(natts));
    for (const core::CatalogRow& row : rows) {
        if (static_cast<int>(row.size()) != natts) {
            throw core::Error(core::ErrorCode::kInternal, "dskv2: a catalogue row does not fit its function's columns");
        }
        for (int i = 0; i < natts; ++i) {
            const auto& v = row[static_cast<size_t>(i)];
            values[static_cast<size_t>(i)] = v ? const_cast<char*>(v->c_str()) : nullptr;
        }
        Call(PutCStringsUnsafe, rsinfo, meta, values.data());
    }
    return static_cast<Datum>(0);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_catalog_tables);
Datum dskv2_catalog_tables(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogTableRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_columns);
Datum dskv2_catalog_columns(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogColumnRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_foreign_keys);
Datum dskv2_catalog_foreign_keys(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogForeignKeyRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_security);
Datum dskv2_catalog_security(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogSecurityRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_legacy);
Datum dskv2_catalog_legacy(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogLegacyRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_edges);
Datum dskv2_catalog_edges(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogEdgeRows()); });
}

PG_FUNCTION_INFO_V1(dskv2_catalog_mappings);
Datum dskv2_catalog_mappings(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum { return ReturnRows(fcinfo, core::CatalogMappingRows()); });
}

// dskv2_target_steps(target name): the target quoted by the server's own quote_identifier.
PG_FUNCTION_INFO_V1(dskv2_target_steps);
Datum dskv2_target_steps(PG_FUNCTION_ARGS) {
    const char* target = NameStr(*PG_GETARG_NAME(0));
    return Invoke(fcinfo, [&]() -> Datum {
        const std::string quoted(Call(quote_identifier, target));
        const std::string private_name = core::PrivateSchemaName(target);
        const std::string quoted_private(Call(quote_identifier, static_cast<const char*>(private_name.c_str())));
        return ReturnRows(fcinfo, core::TargetStepRows(quoted, quoted_private));
    });
}

}  // extern "C"
