// SQL surface of the mapping (core/mapping.hpp) for the orchestrating
// functions of the extension script (docs/architecture.md, "The boundary":
// every entry point here goes through Invoke):
//   dskv2_mapping_tables()   the legacy tables in report order, targets, parents
//   dskv2_source_drift()     missing tables and columns, unknown columns
//   dskv2_mapping_sql()      the SQL of one mapping for one purpose
//   dskv2_claim_slug()       the sequential slug allocator, called in processing order
//   dskv2_session_lock()     a batched run's session-level migration lock
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.hpp"
#include "core/mapping.hpp"
#include "core/slug_allocator.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/snapmgr.h"
#include "common/hashfn.h"
#include "utils/tuplestore.h"
}

namespace {

using dskv2::pg::Call;
using dskv2::pg::Invoke;
namespace core = dskv2::core;

// A detoasted text argument as a string (the detoasting was done before Invoke).
std::string TextOf(const text* t) { return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)); }

std::string QuoteIdent(const std::string& name) {
    return std::string(Call(quote_identifier, static_cast<const char*>(name.c_str())));
}

const core::TableMapping& MappingOrThrow(const std::string& name) {
    const core::TableMapping* mapping = core::FindMapping(name);
    if (mapping == nullptr) {
        std::string known;
        for (const core::TableMapping& m : core::Mappings()) {
            known += (known.empty() ? "" : ", ") + std::string(m.name);
        }
        throw core::Error(core::ErrorCode::kInvalidParameterValue, "dskv2: unknown legacy table \"" + name + "\"",
                          "Known tables: " + known + ".");
    }
    return *mapping;
}

int ExecuteWithTextUnsafe(const char* sql, const char* arg) {
    Oid types[1] = {TEXTOID};
    Datum values[1] = {CStringGetTextDatum(arg)};
    return SPI_execute_with_args(sql, 1, types, values, nullptr, true, 0);
}

char* GetValueUnsafe(HeapTuple tuple, TupleDesc desc, int column) { return SPI_getvalue(tuple, desc, column); }

// The legacy columns the mappings read, as the database has them: each
// catalogue legacy table's columns (all of them: a dry run embeds the parents'
// mappings too). A table that does not exist is left out.
core::SourceColumns LoadSourceColumns(const std::string& source) {
    core::SourceColumns columns;
    if (Call(SPI_connect) != SPI_OK_CONNECT) throw core::Error(core::ErrorCode::kInternal, "SPI_connect failed");
    for (const core::LegacyTable& table : core::LegacyTables()) {
        const std::string qualified = QuoteIdent(table.schema == core::LegacySchema::kAuth ? "auth" : source) + "." +
                                      QuoteIdent(std::string(table.name));
        int rc = Call(ExecuteWithTextUnsafe,
                      static_cast<const char*>(
                          "SELECT pg_catalog.to_regclass($1) IS NOT NULL, a.attname::pg_catalog.text "
                          "FROM (SELECT 1) one LEFT JOIN pg_catalog.pg_attribute a "
                          "ON a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped "
                          "ORDER BY a.attnum"),
                      static_cast<const char*>(qualified.c_str()));
        if (rc != SPI_OK_SELECT) throw core::Error(core::ErrorCode::kInternal, "catalog query failed");
        bool exists = false;
        std::vector<std::string> names;
        for (uint64 i = 0; i < SPI_processed; ++i) {
            HeapTuple tuple = SPI_tuptable->vals[i];
            char* exists_text = Call(GetValueUnsafe, tuple, SPI_tuptable->tupdesc, 1);
            exists = exists_text != nullptr && exists_text[0] == 't';
            char* column = Call(GetValueUnsafe, tuple, SPI_tuptable->tupdesc, 2);
            if (column != nullptr) names.emplace_back(column);
        }
        if (exists) columns.emplace(table.Key(), std::move(names));
    }
    Call(SPI_finish);
    return columns;
}

// The shape version of an existing target: the last step recorded in its
// shape_steps, or 1 for a target made before targets recorded them.
int TargetShape(const std::string& quoted_target) {
    if (Call(SPI_connect) != SPI_OK_CONNECT) throw core::Error(core::ErrorCode::kInternal, "SPI_connect failed");
    const std::string table = quoted_target + ".shape_steps";
    int shape = 1;
    int rc = Call(ExecuteWithTextUnsafe, static_cast<const char*>("SELECT pg_catalog.to_regclass($1) IS NOT NULL"),
                  static_cast<const char*>(table.c_str()));
    if (rc != SPI_OK_SELECT) throw core::Error(core::ErrorCode::kInternal, "shape query failed");
    char* exists = Call(GetValueUnsafe, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
    if (exists != nullptr && exists[0] == 't') {
        const std::string sql = "SELECT pg_catalog.max(step) FROM " + table;
        rc = Call(SPI_execute, static_cast<const char*>(sql.c_str()), true, static_cast<long>(0));
        if (rc != SPI_OK_SELECT) throw core::Error(core::ErrorCode::kInternal, "shape query failed");
        char* value = Call(GetValueUnsafe, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        if (value != nullptr) shape = std::atoi(value);
    }
    Call(SPI_finish);
    return shape;
}

core::SqlNames Names(FunctionCallInfo fcinfo, const std::string& source, const std::string& target) {
    const char* ext = Call(get_namespace_name, Call(get_func_namespace, fcinfo->flinfo->fn_oid));
    const bool target_exists = Call(get_namespace_oid, static_cast<const char*>(target.c_str()), true) != InvalidOid;
    core::SqlNames names{QuoteIdent(source), QuoteIdent(target), QuoteIdent(ext), target_exists};
    if (target_exists) names.shape = TargetShape(names.target);
    if (target_exists && names.Shape() >= core::kLegacySecretsStep) {
        names.secrets = QuoteIdent(core::PrivateSchemaName(target)) + ".legacy_secrets";
    }
    return names;
}

Datum TextDatum(const std::string& value) {
    return PointerGetDatum(
        Call(cstring_to_text_with_len, static_cast<const char*>(value.data()), static_cast<int>(value.size())));
}

void PutRowUnsafe(ReturnSetInfo* rsinfo, Datum* values, bool* nulls) {
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

void InitSrfUnsafe(FunctionCallInfo fcinfo) { InitMaterializedSRF(fcinfo, 0); }

Datum TextArray(const std::vector<std::string_view>& items) {
    std::vector<Datum> datums;
    for (std::string_view item : items) {
        datums.push_back(PointerGetDatum(
            Call(cstring_to_text_with_len, static_cast<const char*>(item.data()), static_cast<int>(item.size()))));
    }
    return PointerGetDatum(Call(construct_array, static_cast<Datum*>(datums.data()), static_cast<int>(datums.size()),
                                static_cast<Oid>(TEXTOID), -1, false, TYPALIGN_INT));
}

// The allocator of one V2 slug column, valid for one statement: the next
// statement reloads the assigned slugs, so rows written in between (by the
// application, live sync or another batch) are always seen.
struct AllocatorSlot {
    Oid relid = InvalidOid;
    LocalTransactionId lxid = InvalidLocalTransactionId;
    CommandId command = InvalidCommandId;
    std::string column;
    core::SlugAllocator allocator;
};

std::vector<AllocatorSlot>& Slots() {
    static std::vector<AllocatorSlot> slots;
    return slots;
}

bool callback_registered = false;

void ReleaseSlots(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_COMMIT ||
        event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PREPARE) {
        Slots().clear();
    }
}

// The slugs already assigned in a V2 column, copied out of SPI (C-style: runs
// under Call(), no C++ object inside).
struct SlugList {
    uint64 count;
    text** slugs;
};

// Copies the text column of the last SPI result out of SPI's memory, then
// ends the SPI connection.
SlugList* CopySlugsAndFinishUnsafe() {
    SlugList* list = static_cast<SlugList*>(SPI_palloc(sizeof(SlugList)));
    list->count = 0;
    list->slugs = static_cast<text**>(SPI_palloc(sizeof(text*) * (SPI_processed + 1)));
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool isnull = false;
        Datum value = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
        if (isnull) continue;
        text* t = DatumGetTextPP(value);
        text* copy = static_cast<text*>(SPI_palloc(VARSIZE_ANY(t)));
        memcpy(copy, t, VARSIZE_ANY(t));
        list->slugs[list->count++] = copy;
    }
    SPI_finish();
    return list;
}

SlugList* LoadSlugsUnsafe(Oid relid, const char* column) {
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(&sql, "SELECT %s FROM %s WHERE %s IS NOT NULL", quote_identifier(column),
                     quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid)),
                     quote_identifier(column));
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (SPI_execute(sql.data, true, 0) != SPI_OK_SELECT) elog(ERROR, "could not read assigned slugs");
    return CopySlugsAndFinishUnsafe();
}

// The slugs a stem can collide with: the stem itself and stem-... (slugs are
// [a-z0-9-] in a "C" collation column, so they sort between stem and stem || '.').
// One prepared plan per (relation, column), kept for the session.
struct StemPlan {
    Oid relid;
    char column[NAMEDATALEN];
    SPIPlanPtr plan;
};
StemPlan stem_plans[16];
int stem_plan_count = 0;

constexpr uint32 kStemLockSpace = 0x64736b73;  // "dsks"

void LockStemUnsafe(Oid relid, const char* stem, int stem_length) {
    LOCKTAG tag;
    const uint32 hash = DatumGetUInt32(hash_any(reinterpret_cast<const unsigned char*>(stem), stem_length));
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, kStemLockSpace ^ relid, hash, 2);
    (void)LockAcquire(&tag, ExclusiveLock, false, false);
}

SlugList* LoadStemSlugsUnsafe(Oid relid, const char* column, const char* stem, int stem_length, bool latest) {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    SPIPlanPtr plan = nullptr;
    for (int i = 0; i < stem_plan_count; ++i) {
        if (stem_plans[i].relid == relid && strcmp(stem_plans[i].column, column) == 0) plan = stem_plans[i].plan;
    }
    if (plan == nullptr) {
        StringInfoData sql;
        initStringInfo(&sql);
        const char* col = quote_identifier(column);
        appendStringInfo(&sql, "SELECT %s FROM %s WHERE %s >= $1 AND %s < $1 || '.'", col,
                         quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid)),
                         col, col);
        // A generic plan from the start: the range scan does not depend on
        // the stem, and planning it again for every new row would cost more
        // than running it (live sync claims one slug per legacy insert).
        Oid types[1] = {TEXTOID};
        plan = SPI_prepare_cursor(sql.data, 1, types, CURSOR_OPT_GENERIC_PLAN);
        if (plan == nullptr) elog(ERROR, "could not prepare the slug lookup");
        if (stem_plan_count < 16) {
            SPI_keepplan(plan);
            stem_plans[stem_plan_count].relid = relid;
            strlcpy(stem_plans[stem_plan_count].column, column, NAMEDATALEN);
            stem_plans[stem_plan_count].plan = plan;
            ++stem_plan_count;
        }
    }
    Datum values[1] = {PointerGetDatum(cstring_to_text_with_len(stem, stem_length))};
    const int rc =
        latest ? SPI_execute_snapshot(plan, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 0)
               : SPI_execute_plan(plan, values, nullptr, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "could not read assigned slugs");
    return CopySlugsAndFinishUnsafe();
}

void FreeSlugListUnsafe(SlugList* list) {
    for (uint64 i = 0; i < list->count; ++i) pfree(list->slugs[i]);
    pfree(list->slugs);
    pfree(list);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_mapping_tables);
Datum dskv2_mapping_tables(PG_FUNCTION_ARGS) {
    return Invoke(fcinfo, [&]() -> Datum {
        Call(InitSrfUnsafe, fcinfo);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        int ord = 0;
        for (const core::TableMapping& m : core::Mappings()) {
            Datum values[4];
            bool nulls[4] = {false, false, false, false};
            values[0] = Int32GetDatum(++ord);
            values[1] = TextDatum(std::string(m.name));
            values[2] = TextDatum(std::string(m.target));
            values[3] = TextArray(m.parents);
            Call(PutRowUnsafe, rsinfo, static_cast<Datum*>(values), static_cast<bool*>(nulls));
        }
        return static_cast<Datum>(0);
    });
}

PG_FUNCTION_INFO_V1(dskv2_source_drift);
Datum dskv2_source_drift(PG_FUNCTION_ARGS) {
    const text* table_arg = PG_GETARG_TEXT_PP(0);
    const char* source_arg = NameStr(*PG_GETARG_NAME(1));
    return Invoke(fcinfo, [&]() -> Datum {
        const std::string table = TextOf(table_arg);
        const std::string source = source_arg;
        const core::TableMapping& mapping = MappingOrThrow(table);
        const core::SourceColumns columns = LoadSourceColumns(source);
        Call(InitSrfUnsafe, fcinfo);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        for (const core::DriftItem& item : core::Drift(mapping, columns)) {
            static constexpr const char* kKinds[] = {"missing_table", "missing_required", "missing_optional", "unknown",
                                                     "unknown_secret"};
            Datum values[3];
            bool nulls[3] = {false, item.column.empty(), false};
            values[0] = TextDatum(item.relation);
            values[1] = item.column.empty() ? static_cast<Datum>(0) : TextDatum(item.column);
            values[2] = TextDatum(kKinds[static_cast<int>(item.kind)]);
            Call(PutRowUnsafe, rsinfo, static_cast<Datum*>(values), static_cast<bool*>(nulls));
        }
        return static_cast<Datum>(0);
    });
}

// dskv2_mapping_sql(source_table, purpose, source, target, run_id, row_set):
// the statement of one purpose (core::Statement, by its name: 'migrate',
// 'plan', 'stage', 'mapped', 'verify' (every mapping; source_table only names
// one to validate), 'sync', 'sync_insert', 'sync_update', 'sync_unchanged',
// 'sync_delete', 'reconcile') for one row set ('pending', 'keys',
// 'quarantined', 'staged', 'sync'), for the target's shape.
PG_FUNCTION_INFO_V1(dskv2_mapping_sql);
Datum dskv2_mapping_sql(PG_FUNCTION_ARGS) {
    const text* table_arg = PG_GETARG_TEXT_PP(0);
    const text* purpose_arg = PG_GETARG_TEXT_PP(1);
    const char* source_arg = NameStr(*PG_GETARG_NAME(2));
    const char* target_arg = NameStr(*PG_GETARG_NAME(3));
    const std::int64_t run_id = PG_GETARG_INT64(4);
    const text* rows_arg = PG_GETARG_TEXT_PP(5);
    return Invoke(fcinfo, [&]() -> Datum {
        const std::string table = TextOf(table_arg);
        const std::string purpose = TextOf(purpose_arg);
        const std::string source = source_arg;
        const std::string target = target_arg;
        const std::string rows_name = TextOf(rows_arg);
        const core::TableMapping& mapping = MappingOrThrow(table);
        core::RowSet rows = core::RowSet::kPending;
        if (!core::RowSetFromName(rows_name, &rows)) {
            throw core::Error(core::ErrorCode::kInvalidParameterValue, "dskv2: unknown row set \"" + rows_name + "\"");
        }
        core::Statement statement = core::Statement::kMapped;
        if (!core::StatementFromName(purpose, &statement)) {
            throw core::Error(core::ErrorCode::kInvalidParameterValue, "dskv2: unknown purpose \"" + purpose + "\"");
        }
        const core::SourceColumns columns = LoadSourceColumns(source);
        const core::SqlNames names = Names(fcinfo, source, target);
        return TextDatum(core::BuildStatement(statement, mapping, names, columns, rows, run_id));
    });
}

// dskv2_claim_slug(tbl regclass, slug_column text, base text, fallback text, lazy bool)
// Called once per row, in processing order, by the migration's INSERT. lazy:
// load the assigned slugs per stem (batches) instead of the whole column.
PG_FUNCTION_INFO_V1(dskv2_claim_slug);
Datum dskv2_claim_slug(PG_FUNCTION_ARGS) {
    Oid relid = PG_GETARG_OID(0);
    text* column_arg = PG_GETARG_TEXT_PP(1);
    text* base_arg = PG_ARGISNULL(2) ? nullptr : PG_GETARG_TEXT_PP(2);
    text* fallback_arg = PG_GETARG_TEXT_PP(3);
    const bool lazy = !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
    const bool serialize = PG_NARGS() > 5 && !PG_ARGISNULL(5) && PG_GETARG_BOOL(5);
    char* column = text_to_cstring(column_arg);
    if (!callback_registered) {
        RegisterXactCallback(ReleaseSlots, nullptr);
        callback_registered = true;
    }
    const LocalTransactionId lxid = MyProc->lxid;
    const CommandId command = GetCurrentCommandId(false);

    return Invoke(fcinfo, [&]() -> Datum {
        std::vector<AllocatorSlot>& slots = Slots();
        AllocatorSlot* slot = nullptr;
        for (AllocatorSlot& s : slots) {
            if (s.relid == relid && s.column == column) slot = &s;
        }
        if (slot == nullptr) {
            slots.emplace_back();
            slot = &slots.back();
            slot->relid = relid;
            slot->column = column;
        }
        auto mark_taken = [&](SlugList* assigned) {
            for (uint64 i = 0; i < assigned->count; ++i) {
                const text* t = assigned->slugs[i];
                slot->allocator.MarkTaken(std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
            }
            Call(FreeSlugListUnsafe, assigned);
        };
        if (slot->lxid != lxid || slot->command != command) {
            slot->allocator.Clear();
            slot->lxid = InvalidLocalTransactionId;
            if (!lazy) mark_taken(Call(LoadSlugsUnsafe, relid, static_cast<const char*>(column)));
            slot->lxid = lxid;
            slot->command = command;
        }
        std::string_view base;
        if (base_arg != nullptr) base = std::string_view(VARDATA_ANY(base_arg), VARSIZE_ANY_EXHDR(base_arg));
        const std::string_view fallback(VARDATA_ANY(fallback_arg), VARSIZE_ANY_EXHDR(fallback_arg));
        const std::string_view stem = core::SlugAllocator::Stem(base, fallback);
        if (lazy && !slot->allocator.StemLoaded(stem)) {
            // Live sync: one transaction at a time per stem (the lock lasts until
            // commit), reading the latest committed slugs, so two concurrent
            // rows of the same title get distinct suffixes at any isolation level.
            if (serialize)
                Call(LockStemUnsafe, relid, static_cast<const char*>(stem.data()), static_cast<int>(stem.size()));
            mark_taken(Call(LoadStemSlugsUnsafe, relid, static_cast<const char*>(column),
                            static_cast<const char*>(stem.data()), static_cast<int>(stem.size()), serialize));
            slot->allocator.MarkStemLoaded(stem);
        }
        const std::string slug = slot->allocator.Claim(base, fallback);
        return TextDatum(slug);
    });
}

}  // extern "C"

extern "C" {

// True inside an explicit transaction block (BEGIN ... COMMIT): CALL dskv2_migrate
// refuses to start there, since it must commit every batch.
PG_FUNCTION_INFO_V1(dskv2_in_transaction_block);
Datum dskv2_in_transaction_block(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(IsTransactionBlock()); }

}  // extern "C"

namespace {

// The session-level migration lock of a batched run. It survives the run's
// commits and is released on the way out; an error or cancel aborts the
// transaction, and the abort callback releases it too, so a failed CALL never
// leaves the target locked for the rest of the session.
struct SessionLock {
    bool held = false;
    LOCKTAG tag;
};

SessionLock session_lock;
bool lock_callback_registered = false;

void ReleaseSessionLock() {
    if (session_lock.held) {
        LockRelease(&session_lock.tag, ExclusiveLock, true);
        session_lock.held = false;
    }
}

void SessionLockOnAbort(XactEvent event, void*) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) ReleaseSessionLock();
}

}  // namespace

extern "C" {

// dskv2_session_lock(key1 int4, key2 int4, acquire bool): acquire (without
// waiting; false when another session holds it) or release the advisory lock
// (key1, key2), the same lock pg_try_advisory_lock(key1, key2) takes.
PG_FUNCTION_INFO_V1(dskv2_session_lock);
Datum dskv2_session_lock(PG_FUNCTION_ARGS) {
    const int32 key1 = PG_GETARG_INT32(0);
    const int32 key2 = PG_GETARG_INT32(1);
    const bool acquire = PG_GETARG_BOOL(2);
    if (!lock_callback_registered) {
        RegisterXactCallback(SessionLockOnAbort, nullptr);
        lock_callback_registered = true;
    }
    if (!acquire) {
        ReleaseSessionLock();
        PG_RETURN_BOOL(true);
    }
    if (session_lock.held) PG_RETURN_BOOL(true);
    SET_LOCKTAG_ADVISORY(session_lock.tag, MyDatabaseId, static_cast<uint32>(key1), static_cast<uint32>(key2), 2);
    const LockAcquireResult result = LockAcquire(&session_lock.tag, ExclusiveLock, true, true);
    if (result == LOCKACQUIRE_NOT_AVAIL) PG_RETURN_BOOL(false);
    session_lock.held = true;
    PG_RETURN_BOOL(true);
}

}  // extern "C"

extern "C" {

// dskv2_target_shape(target name, OUT shape int4, OUT current_shape int4): the
// target's shape version (NULL when the schema does not exist) and the one
// this version makes (docs/architecture.md, "Target shape versions").
PG_FUNCTION_INFO_V1(dskv2_target_shape);
Datum dskv2_target_shape(PG_FUNCTION_ARGS) {
    const char* target_arg = NameStr(*PG_GETARG_NAME(0));
    return Invoke(fcinfo, [&]() -> Datum {
        const std::string target = target_arg;
        TupleDesc desc = nullptr;
        if (Call(get_call_result_type, fcinfo, static_cast<Oid*>(nullptr), &desc) != TYPEFUNC_COMPOSITE) {
            throw core::Error(core::ErrorCode::kInternal, "dskv2_target_shape must return a row");
        }
        desc = Call(BlessTupleDesc, desc);
        Datum values[2] = {static_cast<Datum>(0), Int32GetDatum(core::CurrentShape())};
        bool nulls[2] = {true, false};
        if (Call(get_namespace_oid, static_cast<const char*>(target.c_str()), true) != InvalidOid) {
            values[0] = Int32GetDatum(TargetShape(QuoteIdent(target)));
            nulls[0] = false;
        }
        return HeapTupleGetDatum(Call(heap_form_tuple, desc, static_cast<Datum*>(values), static_cast<bool*>(nulls)));
    });
}

}  // extern "C"
