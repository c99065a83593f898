// The native triggers (docs/triggers.md):
//   dskv2_audit_trigger()     admin_logs rows, diff-only, per row and on TRUNCATE
//   dskv2_ai_usage_trigger()  ai_usage rows for writes made under dskv2.ai_tool
//   dskv2_track_ai_usage()    the same metering, called directly by trusted code
//   dskv2_audit_suppress()    the backend-local flag a migration sets
//
// Trigger bodies are C-style (docs/architecture.md, "The boundary"): no C++ object lives where PostgreSQL
// may raise. The pure helpers of core/audit.hpp run inside small noexcept
// wrappers that hand back malloc'd C strings.
//
// Side rows are written as the owner of the target schema (the trigger's first
// argument), so an application role's statement never fails for lack of rights
// on admin_logs or ai_usage. The actor is read before that switch. Every
// statement is prepared once per backend and target, with schema-qualified
// names and no operator or function resolved through search_path.
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.hpp"
#include "pg/flags.hpp"
#include "pg/settings.hpp"
#include "pg/trust.hpp"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_index.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "commands/sequence.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/datetime.h"
#include "utils/date.h"
#include "utils/uuid.h"
}

namespace dskv2::pg {

bool audit_suppressed = false;
bool sync_writing = false;

namespace {
bool flag_reset_registered = false;

void ResetFlags(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT) {
        audit_suppressed = false;
        sync_writing = false;
    }
}
}  // namespace

void RegisterFlagReset() {
    if (!flag_reset_registered) {
        RegisterXactCallback(ResetFlags, nullptr);
        flag_reset_registered = true;
    }
}

}  // namespace dskv2::pg

namespace {

namespace core = dskv2::core;

// ---------------------------------------------------------------------------
// Pure helpers behind noexcept walls: C strings in, malloc'd C strings out.

struct ActorClaims {
    char* sub;   // a uuid text, or nullptr
    char* role;  // or nullptr
};

char* MallocCopy(const std::string& s) noexcept {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out == nullptr) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

ActorClaims ReadClaims(const char* json) noexcept {
    ActorClaims result{nullptr, nullptr};
    if (json == nullptr || json[0] == '\0') return result;
    try {
        const core::Claims claims = core::ParseClaims(json);
        if (claims.has_sub && core::IsUuid(claims.sub)) result.sub = MallocCopy(claims.sub);
        if (claims.has_role && !claims.role.empty() && claims.role.find('\0') == std::string::npos) {
            result.role = MallocCopy(claims.role);
        }
    } catch (...) {
    }
    return result;
}

char* RecordIdOf(const char* const* keys, int n) noexcept {
    try {
        std::vector<std::string> texts(keys, keys + n);
        return MallocCopy(core::RecordId(texts));
    } catch (...) {
        return nullptr;
    }
}

// ---------------------------------------------------------------------------
// The acting user.

struct Actor {
    bool has_id;
    Datum id;    // uuid
    text* role;  // never null
};

Datum UuidFromText(const char* s) { return DirectFunctionCall1(uuid_in, CStringGetDatum(s)); }

// claims sub (request.jwt.claims, then request.jwt.claim.sub) when a uuid, then
// dskv2.actor when a uuid, else none; role: the claims' role, else the role the
// session has set (SET ROLE; not a SECURITY DEFINER function's owner).
Actor CurrentActor() {
    Actor actor{false, (Datum)0, nullptr};
    ActorClaims claims = ReadClaims(GetConfigOption("request.jwt.claims", true, false));
    char* sub = claims.sub;
    char* role = claims.role;
    if (sub == nullptr) {
        const char* single = GetConfigOption("request.jwt.claim.sub", true, false);
        if (single != nullptr && core::IsUuid(single)) sub = strdup(single);
    }
    if (role == nullptr) {
        const char* single = GetConfigOption("request.jwt.claim.role", true, false);
        if (single != nullptr && single[0] != '\0') role = strdup(single);
    }
    if (sub == nullptr) {
        const char* fallback = GetConfigOption("dskv2.actor", true, false);
        if (fallback != nullptr && core::IsUuid(fallback)) sub = strdup(fallback);
    }
    // Copy into palloc'd memory, then free the malloc'd strings (no raise in between).
    char* sub_copy = nullptr;
    char* role_copy = nullptr;
    PG_TRY();
    {
        if (sub != nullptr) sub_copy = pstrdup(sub);
        if (role != nullptr) role_copy = pstrdup(role);
    }
    PG_FINALLY();
    {
        std::free(sub);
        std::free(role);
    }
    PG_END_TRY();
    if (sub_copy != nullptr) {
        actor.has_id = true;
        actor.id = UuidFromText(sub_copy);
    }
    actor.role = cstring_to_text(role_copy != nullptr ? role_copy : GetUserNameFromId(GetOuterUserId(), false));
    return actor;
}

// ---------------------------------------------------------------------------
// Running SPI as the owner of the target schema.

Oid TargetOwner(const char* target) {
    return dskv2::pg::TargetOwner(target, "Re-attach the triggers with dskv2_create_schema().");
}

struct AsOwner {
    Oid saved_user;
    int saved_context;
    int guc_level;
};

// As the target's owner, with the pinned settings at a GUC nest level of its
// own (docs/security.md, "Pinned settings"). An error on the way is fine:
// (sub)transaction abort restores the user id and the settings.
AsOwner BecomeOwner(Oid owner) {
    AsOwner as;
    GetUserIdAndSecContext(&as.saved_user, &as.saved_context);
    SetUserIdAndSecContext(owner, as.saved_context | SECURITY_LOCAL_USERID_CHANGE);
    as.guc_level = dskv2::pg::PinnedNestLevel(dskv2::pg::Pin::kOwner);
    return as;
}

// The same frame without the switch: the caller's identity, the pinned settings.
AsOwner AsCaller() {
    AsOwner as;
    GetUserIdAndSecContext(&as.saved_user, &as.saved_context);
    as.guc_level = dskv2::pg::PinnedNestLevel(dskv2::pg::Pin::kCaller);
    return as;
}

void RestoreUser(const AsOwner& as) {
    AtEOXact_GUC(true, as.guc_level);
    SetUserIdAndSecContext(as.saved_user, as.saved_context);
}

// ---------------------------------------------------------------------------
// Prepared statements, one per backend, purpose and target schema.

enum PlanKind { kAuditInsert, kAiReplay, kAiRecordUser, kAiRecordAnon, kAiLedgerReset, kAiLedgerPrune, kPlanKinds };

struct CachedPlan {
    char target[NAMEDATALEN];
    SPIPlanPtr plans[kPlanKinds];
};

constexpr int kMaxTargets = 8;
CachedPlan plan_cache[kMaxTargets];
int plan_cache_used = 0;

SPIPlanPtr PlanFor(const char* target, PlanKind kind) {
    CachedPlan* entry = nullptr;
    for (int i = 0; i < plan_cache_used; ++i) {
        if (strcmp(plan_cache[i].target, target) == 0) entry = &plan_cache[i];
    }
    if (entry == nullptr) {
        if (plan_cache_used == kMaxTargets) {
            // Rarely more than one target: forget the oldest.
            for (int k = 0; k < kPlanKinds; ++k) {
                if (plan_cache[0].plans[k] != nullptr) SPI_freeplan(plan_cache[0].plans[k]);
            }
            memmove(&plan_cache[0], &plan_cache[1], sizeof(CachedPlan) * (kMaxTargets - 1));
            --plan_cache_used;
        }
        entry = &plan_cache[plan_cache_used++];
        memset(entry, 0, sizeof(CachedPlan));
        strlcpy(entry->target, target, NAMEDATALEN);
    }
    if (entry->plans[kind] != nullptr) return entry->plans[kind];

    const char* t = quote_identifier(target);
    char* sql = nullptr;
    Oid types[12];
    int nargs = 0;
    switch (kind) {
        case kAuditInsert:
            sql = psprintf(
                "INSERT INTO %s.admin_logs (actor_id, actor_role, action, table_name, record_id, "
                "old_data, new_data, txid, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'trigger')",
                t);
            types[0] = UUIDOID;
            types[1] = TEXTOID;
            types[2] = TEXTOID;
            types[3] = TEXTOID;
            types[4] = TEXTOID;
            types[5] = JSONBOID;
            types[6] = JSONBOID;
            types[7] = INT8OID;
            nargs = 8;
            break;
        case kAiReplay:
            // The row of a request id, and whether it was recorded for the same
            // user ($2, NULL for none) and tool ($3, a slug).
            sql = psprintf(
                "SELECT a.id, a.user_id IS NOT DISTINCT FROM $2 AND a.tool_id OPERATOR(pg_catalog.=) "
                "(SELECT tl.id FROM %1$s.ai_tools tl WHERE tl.slug OPERATOR(pg_catalog.=) $3) "
                "FROM %1$s.ai_usage a WHERE a.request_id OPERATOR(pg_catalog.=) $1",
                t);
            types[0] = TEXTOID;
            types[1] = UUIDOID;
            types[2] = TEXTOID;
            nargs = 3;
            break;
        case kAiRecordUser:
        case kAiRecordAnon: {
            // One statement: the tool; the day's count for this user from the
            // quota ledger, or counted from ai_usage when the ledger has no row;
            // the insert when the tool is active and under its quota; the ledger
            // moved on. Its result tells which of those failed, and whether the
            // day was counted (a new ledger row). Every operator is pg_catalog's.
            const char* who = kind == kAiRecordUser ? "a.user_id OPERATOR(pg_catalog.=) $2" : "a.user_id IS NULL";
            sql = psprintf(
                "WITH t AS (SELECT id, is_active, daily_quota, input_price_per_1k, output_price_per_1k "
                "FROM %1$s.ai_tools WHERE slug OPERATOR(pg_catalog.=) $1), "
                "d AS (SELECT l.used FROM %1$s.ai_usage_daily l, t WHERE l.tool_id OPERATOR(pg_catalog.=) t.id "
                "AND l.user_key OPERATOR(pg_catalog.=) $11 AND l.day OPERATOR(pg_catalog.=) $12), "
                "c AS (SELECT COALESCE((SELECT d.used FROM d), (SELECT pg_catalog.count(*) FROM t JOIN %1$s.ai_usage a "
                "ON a.tool_id OPERATOR(pg_catalog.=) t.id AND %2$s "
                "AND a.created_at OPERATOR(pg_catalog.>=) $3 AND a.created_at OPERATOR(pg_catalog.<) $4)) AS used), "
                "ins AS (INSERT INTO %1$s.ai_usage (user_id, tool_id, input_tokens, output_tokens, cost, request_id, "
                "source_table, source_record, metadata) "
                "SELECT $2, t.id, $5, $6, ((($5)::pg_catalog.numeric OPERATOR(pg_catalog.*) t.input_price_per_1k) "
                "OPERATOR(pg_catalog.+) (($6)::pg_catalog.numeric OPERATOR(pg_catalog.*) t.output_price_per_1k)) "
                "OPERATOR(pg_catalog.*) 0.001, $7, $8, $9, $10 FROM t, c "
                "WHERE t.is_active AND (t.daily_quota IS NULL OR c.used OPERATOR(pg_catalog.<) t.daily_quota) "
                "ON CONFLICT (request_id) DO NOTHING RETURNING id), "
                "led AS (INSERT INTO %1$s.ai_usage_daily AS l (tool_id, user_key, day, used) "
                "SELECT t.id, $11, $12, c.used OPERATOR(pg_catalog.+) 1 FROM t, c WHERE EXISTS (SELECT 1 FROM ins) "
                "ON CONFLICT (tool_id, user_key, day) DO UPDATE SET used = EXCLUDED.used RETURNING 1) "
                "SELECT t.id, t.is_active, t.daily_quota, c.used, (SELECT ins.id FROM ins), "
                "NOT EXISTS (SELECT 1 FROM d) FROM t, c",
                t, who);
            types[0] = TEXTOID;
            types[1] = UUIDOID;
            types[2] = TIMESTAMPTZOID;
            types[3] = TIMESTAMPTZOID;
            types[4] = INT4OID;
            types[5] = INT4OID;
            types[6] = TEXTOID;
            types[7] = TEXTOID;
            types[8] = TEXTOID;
            types[9] = JSONBOID;
            types[10] = UUIDOID;
            types[11] = DATEOID;
            nargs = 12;
            break;
        }
        case kAiLedgerPrune:
            // The user's earlier days, once a new day starts for them.
            sql = psprintf(
                "DELETE FROM %s.ai_usage_daily WHERE tool_id OPERATOR(pg_catalog.=) $1 "
                "AND user_key OPERATOR(pg_catalog.=) $2 AND day OPERATOR(pg_catalog.<) $3",
                t);
            types[0] = INT8OID;
            types[1] = UUIDOID;
            types[2] = DATEOID;
            nargs = 3;
            break;
        case kAiLedgerReset:
            sql = psprintf("DELETE FROM %s.ai_usage_daily", t);
            nargs = 0;
            break;
        case kPlanKinds:
            break;
    }
    SPIPlanPtr plan = SPI_prepare(sql, nargs, types);
    if (plan == nullptr) {
        elog(ERROR, "dskv2: could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
    }
    SPI_keepplan(plan);
    entry->plans[kind] = plan;
    return plan;
}

// ---------------------------------------------------------------------------
// Audit suppression: a backend-local flag, for the current transaction only.

using dskv2::pg::audit_suppressed;
using dskv2::pg::sync_writing;

// ---------------------------------------------------------------------------
// Per-trigger description of the audited relation, cached per backend.

struct AuditColumn {
    char name[NAMEDATALEN];
    bool skip;     // dropped column
    bool ignored;  // listed in the trigger's ignored columns
    bool secret;
    Oid type;
    int16 typlen;
    bool typbyval;
    FmgrInfo to_jsonb;  // to_jsonb(<type>), set up on first use
    bool to_jsonb_ready;
};

struct AuditRelation {
    Oid tgoid;  // hash key
    Oid relid;
    bool valid;
    MemoryContext context;
    char target[NAMEDATALEN];
    text* table_name;
    int natts;
    AuditColumn* columns;
    int nkeys;
    AttrNumber keys[INDEX_MAX_KEYS];
    FmgrInfo key_out[INDEX_MAX_KEYS];
};

HTAB* audit_relations = nullptr;

void InvalidateAuditRelation(Datum, Oid relid) {
    if (audit_relations == nullptr) return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, audit_relations);
    AuditRelation* entry;
    while ((entry = static_cast<AuditRelation*>(hash_seq_search(&status))) != nullptr) {
        if (relid == InvalidOid || entry->relid == relid) entry->valid = false;
    }
}

AuditRelation* DescribeRelation(TriggerData* td) {
    if (audit_relations == nullptr) {
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(Oid);
        ctl.entrysize = sizeof(AuditRelation);
        ctl.hcxt = CacheMemoryContext;
        audit_relations = hash_create("dskv2 audited relations", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
        CacheRegisterRelcacheCallback(InvalidateAuditRelation, (Datum)0);
    }
    Trigger* trigger = td->tg_trigger;
    bool found = false;
    auto* entry = static_cast<AuditRelation*>(hash_search(audit_relations, &trigger->tgoid, HASH_ENTER, &found));
    if (found && entry->valid) return entry;
    if (found && entry->context != nullptr) MemoryContextDelete(entry->context);
    entry->valid = false;
    entry->context = nullptr;

    // CheckTrigger() has made sure of the first argument, the target schema.
    MemoryContext context = AllocSetContextCreate(CacheMemoryContext, "dskv2 audited relation", ALLOCSET_SMALL_SIZES);
    MemoryContext old = MemoryContextSwitchTo(context);
    Relation rel = td->tg_relation;
    TupleDesc desc = RelationGetDescr(rel);
    entry->relid = RelationGetRelid(rel);
    strlcpy(entry->target, trigger->tgargs[0], NAMEDATALEN);
    entry->table_name = cstring_to_text(RelationGetRelationName(rel));
    entry->natts = desc->natts;
    entry->columns = static_cast<AuditColumn*>(palloc0(sizeof(AuditColumn) * Max(desc->natts, 1)));
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        AuditColumn* col = &entry->columns[i];
        strlcpy(col->name, NameStr(att->attname), NAMEDATALEN);
        col->skip = att->attisdropped;
        col->type = att->atttypid;
        col->typlen = att->attlen;
        col->typbyval = att->attbyval;
        col->secret = core::IsSecretColumn(col->name);
        for (int a = 1; a < trigger->tgnargs; ++a) {
            if (strcmp(trigger->tgargs[a], col->name) == 0) col->ignored = true;
        }
    }
    // The primary key, in key order; without one, the row's ctid is no use to
    // anyone: record_id stays NULL.
    entry->nkeys = 0;
    const Oid pk = RelationGetPrimaryKeyIndex(rel);
    if (OidIsValid(pk)) {
        HeapTuple index_tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
        if (HeapTupleIsValid(index_tuple)) {
            Form_pg_index index = (Form_pg_index)GETSTRUCT(index_tuple);
            for (int k = 0; k < index->indnkeyatts && k < INDEX_MAX_KEYS; ++k) {
                const AttrNumber attnum = index->indkey.values[k];
                if (attnum <= 0) continue;
                Oid out_func;
                bool varlena;
                getTypeOutputInfo(TupleDescAttr(desc, attnum - 1)->atttypid, &out_func, &varlena);
                fmgr_info_cxt(out_func, &entry->key_out[entry->nkeys], context);
                entry->keys[entry->nkeys++] = attnum;
            }
            ReleaseSysCache(index_tuple);
        }
    }
    MemoryContextSwitchTo(old);
    entry->context = context;
    entry->valid = true;
    return entry;
}

text* RecordIdText(AuditRelation* rel, HeapTuple tuple, TupleDesc desc) {
    if (rel->nkeys == 0) return nullptr;
    const char* texts[INDEX_MAX_KEYS];
    for (int k = 0; k < rel->nkeys; ++k) {
        bool isnull;
        const Datum d = heap_getattr(tuple, rel->keys[k], desc, &isnull);
        texts[k] = isnull ? "" : OutputFunctionCall(&rel->key_out[k], d);
    }
    if (rel->nkeys == 1) return cstring_to_text(texts[0]);
    char* id = RecordIdOf(texts, rel->nkeys);
    if (id == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    text* result = nullptr;
    PG_TRY();
    { result = cstring_to_text(id); }
    PG_FINALLY();
    { std::free(id); }
    PG_END_TRY();
    return result;
}

// True when an object anywhere in `j` has a key with a secret-like name.
bool HasSecretKey(Jsonb* j) {
    JsonbIterator* it = JsonbIteratorInit(&j->root);
    JsonbValue v;
    JsonbIteratorToken token;
    while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
        if (token == WJB_KEY &&
            core::IsSecretColumn(std::string_view(v.val.string.val, static_cast<std::size_t>(v.val.string.len)))) {
            return true;
        }
    }
    return false;
}

// A jsonb column's value, the values of secret-like keys at any depth written
// "[redacted]" (docs/triggers.md, "Audit trail"); unchanged (as one binary
// value) when it has none.
void PushJsonb(JsonbParseState** state, Jsonb* j) {
    JsonbValue v;
    if (!HasSecretKey(j)) {
        v.type = jbvBinary;
        v.val.binary.data = &j->root;
        v.val.binary.len = static_cast<int>(VARSIZE(j) - VARHDRSZ);
        pushJsonbValue(state, WJB_VALUE, &v);
        return;
    }
    static char redacted[] = "[redacted]";
    JsonbIterator* it = JsonbIteratorInit(&j->root);
    JsonbIteratorToken token;
    bool redact_next = false;
    while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
        if (redact_next) {
            redact_next = false;
            // The value of a secret-like key: a scalar, or a whole container skipped.
            if (token == WJB_BEGIN_OBJECT || token == WJB_BEGIN_ARRAY) {
                int depth = 1;
                while (depth > 0 && (token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
                    if (token == WJB_BEGIN_OBJECT || token == WJB_BEGIN_ARRAY) ++depth;
                    if (token == WJB_END_OBJECT || token == WJB_END_ARRAY) --depth;
                }
            }
            JsonbValue r;
            r.type = jbvString;
            r.val.string.len = sizeof(redacted) - 1;
            r.val.string.val = redacted;
            pushJsonbValue(state, WJB_VALUE, &r);
            continue;
        }
        if (token == WJB_KEY) {
            redact_next =
                core::IsSecretColumn(std::string_view(v.val.string.val, static_cast<std::size_t>(v.val.string.len)));
        }
        const bool has_value = token == WJB_KEY || token == WJB_VALUE || token == WJB_ELEM;
        pushJsonbValue(state, token, has_value ? &v : nullptr);
    }
}

// One column's value as a jsonb value, exactly as to_jsonb() writes it (the
// values of secret-like keys inside a json or jsonb value redacted).
void PushColumn(JsonbParseState** state, AuditRelation* rel, int i, Datum value, bool isnull) {
    AuditColumn* col = &rel->columns[i];
    JsonbValue key;
    key.type = jbvString;
    key.val.string.len = static_cast<int>(strlen(col->name));
    key.val.string.val = col->name;
    pushJsonbValue(state, WJB_KEY, &key);
    JsonbValue v;
    if (isnull) {
        v.type = jbvNull;
        pushJsonbValue(state, WJB_VALUE, &v);
        return;
    }
    if (col->secret) {
        static char redacted[] = "[redacted]";
        v.type = jbvString;
        v.val.string.len = sizeof(redacted) - 1;
        v.val.string.val = redacted;
        pushJsonbValue(state, WJB_VALUE, &v);
        return;
    }
    // The common types are written directly, exactly as to_jsonb() writes
    // them; the others go through to_jsonb() itself.
    switch (col->type) {
        case BOOLOID:
            v.type = jbvBool;
            v.val.boolean = DatumGetBool(value);
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        case INT2OID:
        case INT4OID:
        case INT8OID: {
            const int64 n = col->type == INT2OID   ? DatumGetInt16(value)
                            : col->type == INT4OID ? DatumGetInt32(value)
                                                   : DatumGetInt64(value);
            v.type = jbvNumeric;
            v.val.numeric = int64_to_numeric(n);
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        }
        case NUMERICOID: {
            Numeric num = DatumGetNumeric(value);
            if (numeric_is_nan(num) || numeric_is_inf(num)) break;  // to_jsonb writes those as strings
            v.type = jbvNumeric;
            v.val.numeric = num;
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        }
        case TEXTOID:
        case VARCHAROID: {
            text* t = DatumGetTextPP(value);
            v.type = jbvString;
            v.val.string.len = static_cast<int>(VARSIZE_ANY_EXHDR(t));
            v.val.string.val = VARDATA_ANY(t);
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        }
        case UUIDOID: {
            char* u = DatumGetCString(DirectFunctionCall1(uuid_out, value));
            v.type = jbvString;
            v.val.string.len = static_cast<int>(strlen(u));
            v.val.string.val = u;
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        }
        case TIMESTAMPTZOID:
        case TIMESTAMPOID:
        case DATEOID: {
            char* buf = static_cast<char*>(palloc(MAXDATELEN + 1));
            JsonEncodeDateTime(buf, value, col->type, nullptr);
            v.type = jbvString;
            v.val.string.len = static_cast<int>(strlen(buf));
            v.val.string.val = buf;
            pushJsonbValue(state, WJB_VALUE, &v);
            return;
        }
        case JSONBOID:
            PushJsonb(state, DatumGetJsonbP(value));
            return;
        default:
            break;
    }
    if (!col->to_jsonb_ready) {
        MemoryContext old = MemoryContextSwitchTo(rel->context);
        fmgr_info_cxt(F_TO_JSONB, &col->to_jsonb, rel->context);
        // to_jsonb() reads its argument's type from the call expression.
        col->to_jsonb.fn_expr = reinterpret_cast<Node*>(
            makeFuncExpr(F_TO_JSONB, JSONBOID, list_make1(makeNullConst(col->type, -1, InvalidOid)), InvalidOid,
                         InvalidOid, COERCE_EXPLICIT_CALL));
        MemoryContextSwitchTo(old);
        col->to_jsonb_ready = true;
    }
    PushJsonb(state, DatumGetJsonbP(FunctionCall1(&col->to_jsonb, value)));
}

bool SameValue(const AuditColumn* col, Datum a, bool a_null, Datum b, bool b_null) {
    if (a_null || b_null) return a_null == b_null;
    if (datumIsEqual(a, b, col->typbyval, col->typlen)) return true;
    if (col->typlen != -1) return false;
    // Equal bytes stored differently (compressed, toasted) are the same value.
    struct varlena* x = pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(a)));
    struct varlena* y = pg_detoast_datum_packed(reinterpret_cast<struct varlena*>(DatumGetPointer(b)));
    return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
           memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

Jsonb* RowObject(AuditRelation* rel, HeapTuple tuple, TupleDesc desc, const bool* only) {
    JsonbParseState* state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
    for (int i = 0; i < rel->natts; ++i) {
        if (rel->columns[i].skip || (only != nullptr && !only[i])) continue;
        bool isnull;
        const Datum d = heap_getattr(tuple, i + 1, desc, &isnull);
        PushColumn(&state, rel, i, d, isnull);
    }
    return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, nullptr));
}

// The admin_logs columns the direct insert fills, in no particular order: a
// table with any other column (or without one of these) takes the SPI path.
constexpr const char* kLogColumns[] = {"id",        "actor_id",   "actor_role", "action",          "table_name",
                                       "record_id", "old_data",   "new_data",   "details",         "txid",
                                       "source",    "created_at", "legacy",     "migration_run_id"};
constexpr int kLogColumnCount = sizeof(kLogColumns) / sizeof(kLogColumns[0]);

enum LogColumn {
    kId,
    kActorId,
    kActorRole,
    kAction,
    kTableName,
    kRecordId,
    kOldData,
    kNewData,
    kDetails,
    kTxid,
    kSource,
    kCreatedAt,
    kLegacy,
    kMigrationRunId
};

// Whether <target>.admin_logs can take the direct insert: a plain table of
// exactly the known columns (types as created), no insert triggers or rules,
// not partitioned. attnums[k] is the attribute number of kLogColumns[k].
bool DirectInsertPossible(Relation rel, AttrNumber* attnums) {
    if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rules != nullptr) return false;
    TriggerDesc* trig = rel->trigdesc;
    if (trig != nullptr &&
        (trig->trig_insert_before_row || trig->trig_insert_after_row || trig->trig_insert_instead_row ||
         trig->trig_insert_before_statement || trig->trig_insert_after_statement || trig->trig_insert_new_table)) {
        return false;
    }
    static const Oid kTypes[] = {INT8OID,  UUIDOID,  TEXTOID, TEXTOID, TEXTOID,        TEXTOID,  JSONBOID,
                                 JSONBOID, JSONBOID, INT8OID, TEXTOID, TIMESTAMPTZOID, JSONBOID, INT8OID};
    TupleDesc desc = RelationGetDescr(rel);
    int live = 0;
    for (int k = 0; k < kLogColumnCount; ++k) attnums[k] = InvalidAttrNumber;
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped) continue;
        ++live;
        if (att->attgenerated != '\0') return false;
        int k = 0;
        while (k < kLogColumnCount && strcmp(NameStr(att->attname), kLogColumns[k]) != 0) ++k;
        if (k == kLogColumnCount || att->atttypid != kTypes[k]) return false;
        if (k == kId && att->attidentity == '\0') return false;
        attnums[k] = att->attnum;
    }
    return live == kLogColumnCount;
}

// Inserts one admin_logs row through the executor's simple-insert path (as
// logical replication applies rows): heap, indexes and constraints, without
// planning or initialising a plan tree for every row. The defaults it stands
// for: the identity for id and the transaction's start time (now()) for
// created_at. False when the table's shape asks for the SPI path.
// What DirectInsertPossible found for an admin_logs table, and its identity
// sequence: looked up once per backend, dropped by any relcache invalidation
// of the table (ALTER TABLE, CREATE TRIGGER, DROP ...).
struct LogShape {
    Oid relid;
    bool possible;
    AttrNumber attnums[kLogColumnCount];
    Oid identity_seq;
};
constexpr int kMaxLogShapes = 8;
LogShape log_shapes[kMaxLogShapes];
int log_shapes_next = 0;
bool log_shape_callback_registered = false;

void ForgetLogShape(Datum, Oid relid) {
    for (LogShape& shape : log_shapes) {
        if (relid == InvalidOid || shape.relid == relid) shape.relid = InvalidOid;
    }
}

const LogShape* ShapeOf(Relation rel) {
    const Oid relid = RelationGetRelid(rel);
    for (const LogShape& shape : log_shapes) {
        if (shape.relid == relid) return &shape;
    }
    if (!log_shape_callback_registered) {
        CacheRegisterRelcacheCallback(ForgetLogShape, (Datum)0);
        log_shape_callback_registered = true;
    }
    LogShape fresh;
    memset(&fresh, 0, sizeof(fresh));
    fresh.relid = relid;
    fresh.possible = DirectInsertPossible(rel, fresh.attnums);
    fresh.identity_seq = fresh.possible ? getIdentitySequence(relid, fresh.attnums[kId], false) : InvalidOid;
    LogShape* slot = &log_shapes[log_shapes_next];
    log_shapes_next = (log_shapes_next + 1) % kMaxLogShapes;
    *slot = fresh;
    return slot;
}

bool InsertLogDirect(Oid relid, const Datum* values, const bool* isnull) {
    Relation rel = table_open(relid, RowExclusiveLock);
    const LogShape* shape = ShapeOf(rel);
    if (!shape->possible) {
        table_close(rel, NoLock);
        return false;
    }
    const AttrNumber* attnums = shape->attnums;
    EState* estate = CreateExecutorState();
    RangeTblEntry* rte = makeNode(RangeTblEntry);
    rte->rtekind = RTE_RELATION;
    rte->relid = relid;
    rte->relkind = rel->rd_rel->relkind;
    rte->rellockmode = RowExclusiveLock;
    ExecInitRangeTable(estate, list_make1(rte));
    ResultRelInfo* rri = makeNode(ResultRelInfo);
    InitResultRelInfo(rri, rel, 1, nullptr, 0);
    estate->es_output_cid = GetCurrentCommandId(true);
    ExecOpenIndices(rri, false);
    TupleTableSlot* slot = ExecInitExtraTupleSlot(estate, RelationGetDescr(rel), &TTSOpsVirtual);
    ExecClearTuple(slot);
    TupleDesc desc = RelationGetDescr(rel);
    for (int i = 0; i < desc->natts; ++i) {
        slot->tts_values[i] = (Datum)0;
        slot->tts_isnull[i] = true;
    }
    for (int k = 0; k < kLogColumnCount; ++k) {
        slot->tts_values[attnums[k] - 1] = values[k];
        slot->tts_isnull[attnums[k] - 1] = isnull[k];
    }
    slot->tts_values[attnums[kId] - 1] = Int64GetDatum(nextval_internal(shape->identity_seq, false));
    slot->tts_isnull[attnums[kId] - 1] = false;
    ExecStoreVirtualTuple(slot);
    ExecSimpleRelationInsert(rri, estate, slot);
    ExecCloseIndices(rri);
    ExecResetTupleTable(estate->es_tupleTable, false);
    FreeExecutorState(estate);
    table_close(rel, NoLock);
    return true;
}

void WriteAuditRow(const char* target, const Actor& actor, const char* action, text* table_name, text* record_id,
                   Jsonb* old_data, Jsonb* new_data) {
    // Trusted first (cached), whichever path writes the row.
    const Oid owner = TargetOwner(target);
    const Oid nsp = get_namespace_oid(target, true);
    const Oid logs = OidIsValid(nsp) ? get_relname_relid("admin_logs", nsp) : InvalidOid;
    if (OidIsValid(logs)) {
        Datum values[kLogColumnCount];
        bool isnull[kLogColumnCount];
        for (int k = 0; k < kLogColumnCount; ++k) {
            values[k] = (Datum)0;
            isnull[k] = true;
        }
        auto set = [&](int k, Datum d) {
            values[k] = d;
            isnull[k] = false;
        };
        if (actor.has_id) set(kActorId, actor.id);
        set(kActorRole, PointerGetDatum(actor.role));
        set(kAction, CStringGetTextDatum(action));
        set(kTableName, PointerGetDatum(table_name));
        if (record_id != nullptr) set(kRecordId, PointerGetDatum(record_id));
        if (old_data != nullptr) set(kOldData, PointerGetDatum(old_data));
        if (new_data != nullptr) set(kNewData, PointerGetDatum(new_data));
        set(kTxid, Int64GetDatum(static_cast<int64>(U64FromFullTransactionId(GetTopFullTransactionId()))));
        set(kSource, CStringGetTextDatum("trigger"));
        set(kCreatedAt, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
        if (InsertLogDirect(logs, values, isnull)) return;
    }
    const FullTransactionId xid = GetTopFullTransactionId();
    Datum values[8];
    char nulls[8];
    memset(nulls, ' ', sizeof(nulls));
    values[0] = actor.id;
    if (!actor.has_id) nulls[0] = 'n';
    values[1] = PointerGetDatum(actor.role);
    values[2] = CStringGetTextDatum(action);
    values[3] = PointerGetDatum(table_name);
    values[4] = PointerGetDatum(record_id);
    if (record_id == nullptr) nulls[4] = 'n';
    values[5] = PointerGetDatum(old_data);
    if (old_data == nullptr) nulls[5] = 'n';
    values[6] = PointerGetDatum(new_data);
    if (new_data == nullptr) nulls[6] = 'n';
    values[7] = Int64GetDatum(static_cast<int64>(U64FromFullTransactionId(xid)));

    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    const AsOwner as = BecomeOwner(owner);
    SPIPlanPtr plan = PlanFor(target, kAuditInsert);
    const int rc = SPI_execute_plan(plan, values, nulls, false, 0);
    RestoreUser(as);
    if (rc != SPI_OK_INSERT) elog(ERROR, "dskv2: writing admin_logs failed: %s", SPI_result_code_string(rc));
    SPI_finish();
}

// ---------------------------------------------------------------------------
// AI usage metering (shared by the trigger and dskv2_track_ai_usage).

constexpr uint32 kQuotaLockSpace = 0x64736b71;  // "dskq"

// Set while the metering writes ai_usage itself (its ledger stays valid).
bool metering_writes = false;

struct UsageRequest {
    const char* target;
    const char* tool;
    bool has_user;
    Datum user_id;  // uuid
    int32 input_tokens;
    int32 output_tokens;
    text* request_id;     // may be null
    Jsonb* metadata;      // may be null
    text* source_table;   // may be null
    text* source_record;  // may be null
};

// Runs a statement of the metering that writes ai_usage or its ledger, with
// the flag up so the ledger's own trigger leaves the ledger alone; latest:
// read the latest committed state.
int ExecuteMetering(SPIPlanPtr plan, Datum* values, const char* nulls, bool latest) {
    int rc = 0;
    metering_writes = true;
    PG_TRY();
    {
        rc = latest ? SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, false, true, 0)
                    : SPI_execute_plan(plan, values, nulls, false, 0);
    }
    PG_FINALLY();
    { metering_writes = false; }
    PG_END_TRY();
    return rc;
}

// A single-row, single-column result of the last SPI statement, or false.
bool FirstInt8(int64* out) {
    if (SPI_processed == 0) return false;
    bool isnull;
    const Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    if (isnull) return false;
    *out = DatumGetInt64(d);
    return true;
}

// The ai_usage row of the request's id, or 0. A row recorded for another user
// or tool is not this request's: 22023, and the caller writes nothing (a
// client-chosen request id never returns another user's row).
int64 LookupRequest(const UsageRequest& req, bool latest) {
    Datum values[3] = {PointerGetDatum(req.request_id), req.user_id, CStringGetTextDatum(req.tool)};
    const char nulls[3] = {' ', req.has_user ? ' ' : 'n', ' '};
    SPIPlanPtr plan = PlanFor(req.target, kAiReplay);
    // Not read-only: SPI then advances the command counter, so rows this
    // transaction wrote a moment ago (an earlier row of the statement) are seen.
    const int rc = latest
                       ? SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, false, true, 1)
                       : SPI_execute_plan(plan, values, nulls, false, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "dskv2: reading ai_usage failed: %s", SPI_result_code_string(rc));
    int64 id = 0;
    if (!FirstInt8(&id)) return 0;
    bool isnull = false;
    const bool same = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
    if (isnull || !same) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dskv2: AI request id \"%s\" was already recorded for another user or tool",
                               text_to_cstring(req.request_id)),
                        errhint("A request id names one request of one user with one tool; use a new one.")));
    }
    return id;
}

// as_owner: the metering trigger writes as the target's owner (an identity
// switch); dskv2_track_ai_usage writes as its caller, with its privileges and
// the pinned settings only (docs/security.md, "Rights other than the caller's").
int64 RecordUsage(const UsageRequest& req, bool as_owner) {
    const Oid owner = TargetOwner(req.target);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    const AsOwner as = as_owner ? BecomeOwner(owner) : AsCaller();

    // A replayed request id returns its row, whatever the tool's state or quota.
    if (req.request_id != nullptr) {
        const int64 existing = LookupRequest(req, false);
        if (existing != 0) {
            RestoreUser(as);
            SPI_finish();
            return existing;
        }
    }

    // The UTC day of the transaction (created_at defaults to now(), the
    // transaction's start): PostgreSQL's epoch is a UTC midnight.
    const TimestampTz now = GetCurrentTransactionStartTimestamp();
    const TimestampTz day_start = now - (((now % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY);
    const TimestampTz day_end = day_start + USECS_PER_DAY;

    // One request at a time per user, tool and day: the count and the insert
    // below are then exact under any concurrency and isolation level, since the
    // statement reads the latest committed state.
    uint32 user_hash = 0;
    if (req.has_user) {
        user_hash = hash_bytes(reinterpret_cast<const unsigned char*>(DatumGetUUIDP(req.user_id)->data), UUID_LEN);
    }
    const uint32 tool_hash =
        hash_bytes(reinterpret_cast<const unsigned char*>(req.tool), static_cast<int>(strlen(req.tool)));
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, kQuotaLockSpace ^ hash_combine(user_hash, tool_hash),
                         static_cast<uint32>(day_start / USECS_PER_DAY), 2);
    (void)LockAcquire(&tag, ExclusiveLock, false, false);
    if (req.request_id != nullptr) {
        const int64 existing = LookupRequest(req, true);
        if (existing != 0) {
            RestoreUser(as);
            SPI_finish();
            return existing;
        }
    }

    Datum values[12];
    char nulls[12];
    memset(nulls, ' ', sizeof(nulls));
    static pg_uuid_t nil_uuid;  // all zeros: the ledger's key for requests without a user
    values[10] = req.has_user ? req.user_id : UUIDPGetDatum(&nil_uuid);
    values[11] = DateADTGetDatum(static_cast<DateADT>(day_start / USECS_PER_DAY));
    values[0] = CStringGetTextDatum(req.tool);
    values[1] = req.user_id;
    if (!req.has_user) nulls[1] = 'n';
    values[2] = TimestampTzGetDatum(day_start);
    values[3] = TimestampTzGetDatum(day_end);
    values[4] = Int32GetDatum(req.input_tokens);
    values[5] = Int32GetDatum(req.output_tokens);
    values[6] = PointerGetDatum(req.request_id);
    if (req.request_id == nullptr) nulls[6] = 'n';
    values[7] = PointerGetDatum(req.source_table);
    if (req.source_table == nullptr) nulls[7] = 'n';
    values[8] = PointerGetDatum(req.source_record);
    if (req.source_record == nullptr) nulls[8] = 'n';
    values[9] = PointerGetDatum(req.metadata);
    if (req.metadata == nullptr) nulls[9] = 'n';
    SPIPlanPtr plan = PlanFor(req.target, req.has_user ? kAiRecordUser : kAiRecordAnon);
    const int rc = ExecuteMetering(plan, values, nulls, true);
    if (rc != SPI_OK_SELECT) elog(ERROR, "dskv2: writing ai_usage failed: %s", SPI_result_code_string(rc));
    if (SPI_processed == 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("dskv2: unknown AI tool \"%s\"", req.tool),
                        errhint("Tools are rows of %s.ai_tools, named by slug.", quote_identifier(req.target))));
    }
    HeapTuple row = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool isnull;
    const bool active = DatumGetBool(SPI_getbinval(row, desc, 2, &isnull)) && !isnull;
    bool unlimited;
    const int32 quota = DatumGetInt32(SPI_getbinval(row, desc, 3, &unlimited));
    const int64 used = DatumGetInt64(SPI_getbinval(row, desc, 4, &isnull));
    bool not_inserted;
    int64 id = DatumGetInt64(SPI_getbinval(row, desc, 5, &not_inserted));
    if (!active) {
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("dskv2: AI tool \"%s\" is not active", req.tool)));
    }
    if (not_inserted && !unlimited && used >= quota) {
        char reset[MAXDATELEN + 1];
        const int utc = 0;
        JsonEncodeDateTime(reset, TimestampTzGetDatum(day_end), TIMESTAMPTZOID, &utc);
        ereport(ERROR,
                (errcode(MAKE_SQLSTATE('P', 'T', '4', '2', '9')),
                 errmsg("dskv2: daily quota of AI tool \"%s\" exceeded", req.tool),
                 errdetail("tool: %s; limit: %d requests per user per UTC day; resets at: %s", req.tool, quota, reset),
                 errhint("Try again after the reset time.")));
    }
    bool counted_null;
    const bool counted = DatumGetBool(SPI_getbinval(row, desc, 6, &counted_null)) && !counted_null;
    const int64 tool_id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
    if (not_inserted) {
        // The same request id committed by another session meanwhile.
        id = LookupRequest(req, true);
    } else if (counted) {
        Datum prune[3] = {Int64GetDatum(tool_id), values[10], values[11]};
        const int pruned = ExecuteMetering(PlanFor(req.target, kAiLedgerPrune), prune, nullptr, false);
        if (pruned != SPI_OK_DELETE) {
            elog(ERROR, "dskv2: pruning the quota ledger failed: %s", SPI_result_code_string(pruned));
        }
    }
    RestoreUser(as);
    SPI_finish();
    return id;
}

int32 TokensSetting(const char* name) {
    const char* value = GetConfigOption(name, true, false);
    if (value == nullptr || value[0] == '\0') return 0;
    char* end = nullptr;
    errno = 0;
    const long v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < 0 || v > PG_INT32_MAX) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dskv2: setting %s must be a token count from 0 to %d, not \"%s\"", name, PG_INT32_MAX,
                               value)));
    }
    return static_cast<int32>(v);
}

TriggerData* CheckTrigger(FunctionCallInfo fcinfo, const char* name) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: %s() must be called as a trigger", name)));
    }
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    if (!TRIGGER_FIRED_AFTER(td->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: %s() must be an AFTER trigger", name)));
    }
    if (td->tg_trigger->tgnargs < 1) {
        ereport(ERROR, (errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
                        errmsg("dskv2: trigger \"%s\" needs the target schema as its first argument",
                               td->tg_trigger->tgname)));
    }
    dskv2::pg::RequireRelationInTarget(RelationGetNamespace(td->tg_relation), RelationGetRelationName(td->tg_relation),
                                       td->tg_trigger->tgname, td->tg_trigger->tgargs[0]);
    return td;
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_audit_trigger);
PG_FUNCTION_INFO_V1(dskv2_audit_suppress);
PG_FUNCTION_INFO_V1(dskv2_ai_usage_trigger);
PG_FUNCTION_INFO_V1(dskv2_track_ai_usage);
PG_FUNCTION_INFO_V1(dskv2_ai_ledger_reset);

// dskv2_audit_suppress(on boolean) RETURNS boolean: sets the flag for the
// current transaction, returns the previous value.
Datum dskv2_audit_suppress(PG_FUNCTION_ARGS) {
    const bool on = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
    dskv2::pg::RegisterFlagReset();
    const bool previous = audit_suppressed;
    audit_suppressed = on;
    PG_RETURN_BOOL(previous);
}

Datum dskv2_audit_trigger(PG_FUNCTION_ARGS) {
    TriggerData* td = CheckTrigger(fcinfo, "dskv2_audit_trigger");
    if (audit_suppressed) return PointerGetDatum(nullptr);
    const TriggerEvent event = td->tg_event;

    if (TRIGGER_FIRED_BY_TRUNCATE(event)) {
        const Actor actor = CurrentActor();
        WriteAuditRow(td->tg_trigger->tgargs[0], actor, "TRUNCATE",
                      cstring_to_text(RelationGetRelationName(td->tg_relation)), nullptr, nullptr, nullptr);
        return PointerGetDatum(nullptr);
    }
    if (!TRIGGER_FIRED_FOR_ROW(event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: dskv2_audit_trigger() runs FOR EACH ROW, or AFTER TRUNCATE")));
    }
    AuditRelation* rel = DescribeRelation(td);  // rebuilt after any ALTER TABLE (relcache callback)
    TupleDesc desc = RelationGetDescr(td->tg_relation);
    const char* action;
    Jsonb* old_data = nullptr;
    Jsonb* new_data = nullptr;
    text* record_id;
    if (TRIGGER_FIRED_BY_INSERT(event)) {
        action = "INSERT";
        new_data = RowObject(rel, td->tg_trigtuple, desc, nullptr);
        record_id = RecordIdText(rel, td->tg_trigtuple, desc);
    } else if (TRIGGER_FIRED_BY_DELETE(event)) {
        action = "DELETE";
        old_data = RowObject(rel, td->tg_trigtuple, desc, nullptr);
        record_id = RecordIdText(rel, td->tg_trigtuple, desc);
    } else {
        action = "UPDATE";
        bool* changed = static_cast<bool*>(palloc0(sizeof(bool) * Max(rel->natts, 1)));
        int nchanged = 0;
        for (int i = 0; i < rel->natts; ++i) {
            const AuditColumn* col = &rel->columns[i];
            if (col->skip || col->ignored) continue;
            bool old_null, new_null;
            const Datum o = heap_getattr(td->tg_trigtuple, i + 1, desc, &old_null);
            const Datum n = heap_getattr(td->tg_newtuple, i + 1, desc, &new_null);
            if (!SameValue(col, o, old_null, n, new_null)) {
                changed[i] = true;
                ++nchanged;
            }
        }
        if (nchanged == 0) return PointerGetDatum(nullptr);  // a no-op, or only ignored columns
        old_data = RowObject(rel, td->tg_trigtuple, desc, changed);
        new_data = RowObject(rel, td->tg_newtuple, desc, changed);
        record_id = RecordIdText(rel, td->tg_newtuple, desc);
    }
    const Actor actor = CurrentActor();
    WriteAuditRow(rel->target, actor, action, rel->table_name, record_id, old_data, new_data);
    return PointerGetDatum(nullptr);
}

// AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW, argument: the target schema.
// Meters a write made in a transaction that set dskv2.ai_tool.
Datum dskv2_ai_usage_trigger(PG_FUNCTION_ARGS) {
    TriggerData* td = CheckTrigger(fcinfo, "dskv2_ai_usage_trigger");
    if (!TRIGGER_FIRED_FOR_ROW(td->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: dskv2_ai_usage_trigger() runs FOR EACH ROW")));
    }
    const char* tool = GetConfigOption("dskv2.ai_tool", true, false);
    if (tool == nullptr || tool[0] == '\0' || sync_writing) return PointerGetDatum(nullptr);

    const Actor actor = CurrentActor();
    UsageRequest req;
    memset(&req, 0, sizeof(req));
    req.target = td->tg_trigger->tgargs[0];
    req.tool = pstrdup(tool);
    req.has_user = actor.has_id;
    req.user_id = actor.id;
    req.input_tokens = TokensSetting("dskv2.ai_input_tokens");
    req.output_tokens = TokensSetting("dskv2.ai_output_tokens");
    const char* request_id = GetConfigOption("dskv2.ai_request_id", true, false);
    if (request_id != nullptr && request_id[0] != '\0') {
        req.request_id = cstring_to_text(request_id);
    } else {
        // One row per transaction and tool.
        req.request_id = cstring_to_text(
            psprintf("xact:" UINT64_FORMAT ":%s", U64FromFullTransactionId(GetTopFullTransactionId()), req.tool));
    }
    AuditRelation* rel = DescribeRelation(td);
    HeapTuple row = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
    req.source_table = rel->table_name;
    req.source_record = RecordIdText(rel, row, RelationGetDescr(td->tg_relation));
    const char* op = TRIGGER_FIRED_BY_INSERT(td->tg_event)   ? "INSERT"
                     : TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "UPDATE"
                                                             : "DELETE";
    req.metadata =
        DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(psprintf("{\"operation\": \"%s\"}", op))));
    (void)RecordUsage(req, true);
    return PointerGetDatum(nullptr);
}

// AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT on ai_usage;
// argument: the target schema. A write the metering did not make may change
// any day's count: the quota ledger is emptied and recounted on demand.
Datum dskv2_ai_ledger_reset(PG_FUNCTION_ARGS) {
    TriggerData* td = CheckTrigger(fcinfo, "dskv2_ai_ledger_reset");
    if (metering_writes) return PointerGetDatum(nullptr);
    const char* target = td->tg_trigger->tgargs[0];
    const Oid owner = TargetOwner(target);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    const AsOwner as = BecomeOwner(owner);
    const int rc = SPI_execute_plan(PlanFor(target, kAiLedgerReset), nullptr, nullptr, false, 0);
    RestoreUser(as);
    if (rc != SPI_OK_DELETE) elog(ERROR, "dskv2: resetting the quota ledger failed: %s", SPI_result_code_string(rc));
    SPI_finish();
    return PointerGetDatum(nullptr);
}

// dskv2_track_ai_usage(tool, user_id, input_tokens, output_tokens, request_id,
// metadata, target) RETURNS bigint
Datum dskv2_track_ai_usage(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("dskv2: tool must not be NULL")));
    }
    if (PG_ARGISNULL(6)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("dskv2: target must not be NULL")));
    }
    UsageRequest req;
    memset(&req, 0, sizeof(req));
    req.tool = text_to_cstring(PG_GETARG_TEXT_PP(0));
    req.has_user = !PG_ARGISNULL(1);
    req.user_id = req.has_user ? PG_GETARG_DATUM(1) : (Datum)0;
    req.input_tokens = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2);
    req.output_tokens = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3);
    if (req.input_tokens < 0 || req.output_tokens < 0) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("dskv2: token counts must not be negative")));
    }
    req.request_id = PG_ARGISNULL(4) ? nullptr : PG_GETARG_TEXT_PP(4);
    req.metadata = PG_ARGISNULL(5) ? nullptr : PG_GETARG_JSONB_P(5);
    req.target = NameStr(*PG_GETARG_NAME(6));
    if (get_namespace_oid(req.target, true) == InvalidOid) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_SCHEMA_NAME),
                        errmsg("dskv2: target schema \"%s\" does not exist", req.target)));
    }
    PG_RETURN_INT64(RecordUsage(req, false));
}

}  // extern "C"
