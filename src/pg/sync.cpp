// Live transition (docs/switch.md):
//   dskv2_sync_trigger()    AFTER INSERT/UPDATE/DELETE FOR EACH ROW on a legacy table
//                           (and auth.users): the same mapping, applied to V2 for the
//                           changed keys, in the same transaction; BEFORE TRUNCATE: refused
//   dskv2_guard_trigger()   BEFORE INSERT/UPDATE/DELETE/TRUNCATE FOR EACH STATEMENT on a
//                           legacy table after the cutover: read-only (25006)
//   dskv2_sync_writing()    whether live sync is writing V2 right now (the append-only
//                           guard of admin_logs lets legacy log rows follow their source)
//
// The statements come from the mapping core through dskv2_mapping_sql() (one
// description of the rules): 'sync' for the changed keys, and for merging
// mappings (tags, favorites) 'migrate' of the keys the unlink step released.
// They are prepared once per backend and trigger, and prepared again when a
// legacy table of the mapping changes shape (relcache invalidation).
//
// Trigger arguments: the target schema (first, as for every dskv2 trigger: a
// rollback finds them by it), the source schema, the sync run id.
//
// Trigger bodies are C-style (docs/architecture.md, "The boundary"): no C++ object lives where PostgreSQL
// may raise.
#include <cstring>
#include <utility>

#include "core/mapping.hpp"
#include "pg/flags.hpp"
#include "pg/trust.hpp"
#include "pg/settings.hpp"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

namespace {

// The lock live sync and the migration's writers share, per target and legacy
// table: sync holds it shared (exclusive for tags, whose groups must be
// rebuilt one transaction at a time), a migration statement exclusive, so a
// row is written once, by whichever comes first. Same key as
// pg_advisory_xact_lock(1685285683, hashtext(target || '/' || source_table)).
// A favorite's group is its (user, product) pair: sync of favorites holds the
// table's lock shared and its pairs' locks (PairLock) exclusively.
constexpr int32 kSyncLockSpace = 1685285683;

uint32 MappingLockKey(const char* target, const char* mapping) {
    char* name = psprintf("%s/%s", target, mapping);
    const uint32 key =
        DatumGetUInt32(hash_any(reinterpret_cast<const unsigned char*>(name), static_cast<int>(strlen(name))));
    pfree(name);
    return key;
}

void LockMapping(uint32 key, bool exclusive) {
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(kSyncLockSpace), key, 2);
    (void)LockAcquire(&tag, exclusive ? ExclusiveLock : ShareLock, false, false);
}

// The lock of one favorites pair: (database, the table's key, the pair's
// hash, 4), a space SQL's advisory lock functions (1 and 2) never take.
void LockPair(uint32 mapping_key, uint32 pair_hash) {
    LOCKTAG tag;
    SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, mapping_key, pair_hash, 4);
    (void)LockAcquire(&tag, ExclusiveLock, false, false);
}

// ---------------------------------------------------------------------------
// Per-trigger state, cached per backend.

// The legacy relations a mapping reads, and the V2 table it writes: a
// relcache invalidation of any of them (a legacy table altered, a shape step)
// drops the entry, and the statements are generated again.
constexpr int kMaxRelations = 3;

struct SyncEntry {
    Oid tgoid;  // hash key
    bool valid;
    char target[NAMEDATALEN];
    char source[NAMEDATALEN];
    int64 run_id;
    char mapping[NAMEDATALEN];   // "auth.users", "products", ...
    bool merging;                // tags, favorites: unlink, then migrate the released keys
    AttrNumber pair_attnums[2];  // favorites: user_id, product_id (the pair locks); else 0
    bool primary;                // the trigger's relation holds the mapping's rows (not profiles)
    uint32 lock_key;             // of LockMapping()
    AttrNumber key_attnum;       // the legacy key column in the trigger's relation
    Oid relids[kMaxRelations];   // the legacy relations the mapping reads
    SPIPlanPtr sync_plan;        // 'sync': SyncSql or UnlinkSql, every case
    SPIPlanPtr keys_plan;        // merging: 'migrate' with row set 'keys', the groups written again
    SPIPlanPtr insert_plan;      // fast path: a new row
    SPIPlanPtr update_plan;      // fast path: a migrated row changed (one-row mappings)
    SPIPlanPtr unchanged_plan;   // ... or changed nothing V2 holds
    SPIPlanPtr delete_plan;      // fast path: a lone member of a group deleted (merging mappings)
    SPIPlanPtr reject_plan;      // a change sync could not apply: quarantined
    SPIPlanPtr children_plan;    // products, auth.users: legacy children of deleted keys
};

HTAB* sync_entries = nullptr;

void InvalidateSyncEntries(Datum, Oid relid) {
    if (sync_entries == nullptr) return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, sync_entries);
    SyncEntry* entry;
    while ((entry = static_cast<SyncEntry*>(hash_seq_search(&status))) != nullptr) {
        for (int i = 0; i < kMaxRelations; ++i) {
            if (relid == InvalidOid || entry->relids[i] == relid) entry->valid = false;
        }
    }
}

// ---------------------------------------------------------------------------
// Sign-ups: an auth.users row inserted now is synced at the end of its
// statement (dskv2_sync_flush, AFTER INSERT FOR EACH STATEMENT), after the
// other AFTER triggers of the row ran. Supabase's handle_new_user creates the
// profile there, and the profile's own sync writes the V2 user once, with the
// profile in it; the flush then has nothing left to do for that key. A sync
// of the key in between (profile, or any change of the auth user) covers it;
// one undone by a rolled back subtransaction does not.

// auth.users keys are uuids (36 characters); a longer key is synced at once.
constexpr int kPendingKeyLength = 64;

struct PendingKey {
    char key[kPendingKeyLength];  // hash key
    Oid relid;                    // auth.users
    int nest;                     // transaction nesting level that queued it
    int done_nest;                // 0: not synced since; else the level of the sync that covered it
    int64 order;                  // queue order: the flush syncs in row order
};

HTAB* pending = nullptr;  // in TopTransactionContext
int64 pending_open = 0;   // entries not covered
int64 pending_order = 0;
int pending_max_level = 0;  // no entry has a nest or done_nest above it
bool pending_callbacks_registered = false;

void ForgetPending(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT) {
        pending = nullptr;  // freed with TopTransactionContext
        pending_open = pending_order = 0;
        pending_max_level = 0;
    }
}

// A subtransaction's end: what it queued or covered goes with it (abort) or
// becomes its parent's (commit). Nothing to do for the subtransactions live
// sync opens per key, deeper than every entry.
void PendingAtSubXactEnd(SubXactEvent event, SubTransactionId, SubTransactionId, void*) {
    if (pending == nullptr || (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB)) return;
    const int level = GetCurrentTransactionNestLevel();
    if (level > pending_max_level) return;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, pending);
    PendingKey* item;
    while ((item = static_cast<PendingKey*>(hash_seq_search(&status))) != nullptr) {
        if (event == SUBXACT_EVENT_ABORT_SUB) {
            if (item->nest >= level) {
                if (item->done_nest == 0) --pending_open;
                (void)hash_search(pending, item->key, HASH_REMOVE, nullptr);
                continue;
            }
            if (item->done_nest >= level) {
                item->done_nest = 0;
                ++pending_open;
            }
        } else {
            if (item->nest >= level) item->nest = level - 1;
            if (item->done_nest >= level) item->done_nest = level - 1;
        }
    }
    pending_max_level = level - 1;
}

bool QueuePending(Oid relid, const char* key) {
    if (strlen(key) >= static_cast<size_t>(kPendingKeyLength)) return false;
    if (!pending_callbacks_registered) {
        RegisterXactCallback(ForgetPending, nullptr);
        RegisterSubXactCallback(PendingAtSubXactEnd, nullptr);
        pending_callbacks_registered = true;
    }
    if (pending == nullptr) {
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = kPendingKeyLength;
        ctl.entrysize = sizeof(PendingKey);
        ctl.hcxt = TopTransactionContext;
        pending = hash_create("dskv2 sign-ups waiting for their statement's end", 64, &ctl,
                              HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
    }
    bool found = false;
    auto* item = static_cast<PendingKey*>(hash_search(pending, key, HASH_ENTER, &found));
    if (!found || item->done_nest != 0) ++pending_open;
    item->relid = relid;
    item->nest = GetCurrentTransactionNestLevel();
    item->done_nest = 0;
    item->order = ++pending_order;
    pending_max_level = Max(pending_max_level, item->nest);
    return true;
}

PendingKey* FindPending(Oid relid, const char* key) {
    if (pending == nullptr || pending_open == 0 || strlen(key) >= static_cast<size_t>(kPendingKeyLength))
        return nullptr;
    auto* item = static_cast<PendingKey*>(hash_search(pending, key, HASH_FIND, nullptr));
    return item != nullptr && item->relid == relid && item->done_nest == 0 ? item : nullptr;
}

// The key waits for its statement's flush, not covered yet.
bool IsPending(Oid relid, const char* key) { return FindPending(relid, key) != nullptr; }

void CoverPending(Oid relid, const char* key) {
    PendingKey* item = FindPending(relid, key);
    if (item == nullptr) return;
    item->done_nest = GetCurrentTransactionNestLevel();
    pending_max_level = Max(pending_max_level, item->done_nest);
    --pending_open;
}

int CompareOrder(const void* a, const void* b) {
    const int64 x = (*static_cast<PendingKey* const*>(a))->order;
    const int64 y = (*static_cast<PendingKey* const*>(b))->order;
    return x < y ? -1 : (x > y ? 1 : 0);
}

// The keys of relid the flush must sync, in queue order (copied: syncing
// them changes the table).
char** OpenPendingKeys(Oid relid, int* count) {
    *count = 0;
    if (pending == nullptr || pending_open == 0) return nullptr;
    auto** items = static_cast<PendingKey**>(palloc(sizeof(PendingKey*) * static_cast<Size>(pending_open)));
    int n = 0;
    HASH_SEQ_STATUS status;
    hash_seq_init(&status, pending);
    PendingKey* item;
    while ((item = static_cast<PendingKey*>(hash_seq_search(&status))) != nullptr) {
        if (item->relid == relid && item->done_nest == 0 && n < pending_open) items[n++] = item;
    }
    qsort(items, static_cast<size_t>(n), sizeof(PendingKey*), CompareOrder);
    auto** keys = static_cast<char**>(palloc(sizeof(char*) * static_cast<Size>(Max(n, 1))));
    for (int i = 0; i < n; ++i) keys[i] = pstrdup(items[i]->key);
    pfree(items);
    *count = n;
    return keys;
}

// Whether an INSERT on this relation can wait for the statement's flush: the
// relation is where sign-ups arrive (auth.users, in the catalogue) and carries
// an enabled dskv2_sync_flush of the same
// function and target (attached by dskv2_sync_enable; without it, as before
// it existed, the row is synced at once).
bool DefersInsert(TriggerData* td, Oid fn_oid) {
    Relation rel = td->tg_relation;
    if (rel->trigdesc == nullptr || !rel->trigdesc->trig_insert_after_statement) return false;
    const Oid auth_nsp = get_namespace_oid("auth", true);
    if (RelationGetNamespace(rel) != auth_nsp) return false;
    dskv2::core::LegacyTriggerInfo info;
    if (!dskv2::core::DescribeLegacyTrigger(dskv2::core::LegacySchema::kAuth, RelationGetRelationName(rel), &info) ||
        !info.sign_ups) {
        return false;
    }
    const bool replica = SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA;
    for (int i = 0; i < rel->trigdesc->numtriggers; ++i) {
        const Trigger* t = &rel->trigdesc->triggers[i];
        if (t->tgfoid != fn_oid || strcmp(t->tgname, "dskv2_sync_flush") != 0 || t->tgnargs < 1 ||
            strcmp(t->tgargs[0], td->tg_trigger->tgargs[0]) != 0) {
            continue;
        }
        if (!TRIGGER_FOR_AFTER(t->tgtype) || TRIGGER_FOR_ROW(t->tgtype) || !TRIGGER_FOR_INSERT(t->tgtype)) continue;
        if (t->tgenabled == TRIGGER_DISABLED) return false;
        if (replica) return t->tgenabled == TRIGGER_FIRES_ON_REPLICA || t->tgenabled == TRIGGER_FIRES_ALWAYS;
        return t->tgenabled != TRIGGER_FIRES_ON_REPLICA;
    }
    return false;
}

Oid RelidOf(const char* schema, const char* name) {
    const Oid nsp = get_namespace_oid(schema, true);
    return OidIsValid(nsp) ? get_relname_relid(name, nsp) : InvalidOid;
}

// The SQL of one purpose from the mapping core, through dskv2_mapping_sql().
char* MappingSql(Oid ext_nsp, const SyncEntry* entry, const char* purpose, const char* row_set) {
    static Oid fn = InvalidOid;
    static Oid fn_nsp = InvalidOid;
    if (!OidIsValid(fn) || fn_nsp != ext_nsp) {
        Oid types[6] = {TEXTOID, TEXTOID, NAMEOID, NAMEOID, INT8OID, TEXTOID};
        List* name = list_make2(makeString(get_namespace_name(ext_nsp)), makeString(pstrdup("dskv2_mapping_sql")));
        fn = LookupFuncName(name, 6, types, false);
        fn_nsp = ext_nsp;
    }
    const Datum sql = OidFunctionCall6(fn, CStringGetTextDatum(entry->mapping), CStringGetTextDatum(purpose),
                                       DirectFunctionCall1(namein, CStringGetDatum(entry->source)),
                                       DirectFunctionCall1(namein, CStringGetDatum(entry->target)),
                                       Int64GetDatum(entry->run_id), CStringGetTextDatum(row_set));
    return TextDatumGetCString(sql);
}

// A generic plan from the start: the statements touch a few rows by key,
// their plans do not depend on the values, and planning them again for every
// row would cost more than running them.
SPIPlanPtr Prepare(const char* sql, int nargs, Oid* types) {
    SPIPlanPtr plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);
    if (plan == nullptr)
        elog(ERROR, "dskv2: could not prepare live sync statement: %s", SPI_result_code_string(SPI_result));
    SPI_keepplan(plan);
    return plan;
}

void FreePlans(SyncEntry* entry) {
    if (entry->sync_plan != nullptr) SPI_freeplan(entry->sync_plan);
    if (entry->keys_plan != nullptr) SPI_freeplan(entry->keys_plan);
    if (entry->insert_plan != nullptr) SPI_freeplan(entry->insert_plan);
    if (entry->update_plan != nullptr) SPI_freeplan(entry->update_plan);
    if (entry->unchanged_plan != nullptr) SPI_freeplan(entry->unchanged_plan);
    if (entry->delete_plan != nullptr) SPI_freeplan(entry->delete_plan);
    if (entry->reject_plan != nullptr) SPI_freeplan(entry->reject_plan);
    if (entry->children_plan != nullptr) SPI_freeplan(entry->children_plan);
    entry->sync_plan = entry->keys_plan = entry->insert_plan = entry->update_plan = entry->delete_plan = nullptr;
    entry->reject_plan = entry->children_plan = entry->unchanged_plan = nullptr;
}

void CheckArguments(TriggerData* td) {
    Trigger* trigger = td->tg_trigger;
    if (trigger->tgnargs < 3) {
        ereport(ERROR, (errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
                        errmsg("dskv2: trigger \"%s\" needs the target schema, the source schema and the sync run id "
                               "as arguments",
                               trigger->tgname),
                        errhint("Attach it with dskv2_sync_enable().")));
    }
}

// The identity switch of live sync acts only for what the target's owner
// registered (docs/security.md, "Identity switches"): the table that fired is
// of the registered source (or auth), registered in
// <target>_private.registrations (a 0.1.0 target that dskv2_create_schema has
// not brought up to date has no registrations: its trust is enough), and
// every relation the mapping reads as the owner is an ordinary or partitioned
// table, never a view or foreign table whose code would run as the owner.
// Runs under SPI as the owner; 42501 otherwise.
void RequireRegistered(const SyncEntry* entry, const char* tgname, const char* nspname, const char* relname,
                       bool auth) {
    if (!auth && strcmp(nspname, entry->source) != 0) {
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("dskv2: trigger \"%s\" on %s.%s names source \"%s\", which is not the schema of its table",
                        tgname, nspname, relname, entry->source),
                 errhint("Drop this trigger; dskv2_sync_enable() attaches live sync.")));
    }
    char private_schema[NAMEDATALEN];
    snprintf(private_schema, sizeof(private_schema), "%s_private", entry->target);
    if (OidIsValid(RelidOf(private_schema, "registrations"))) {
        Oid types[3] = {NAMEOID, NAMEOID, NAMEOID};
        Datum values[3] = {DirectFunctionCall1(namein, CStringGetDatum(nspname)),
                           DirectFunctionCall1(namein, CStringGetDatum(relname)),
                           DirectFunctionCall1(namein, CStringGetDatum(entry->source))};
        // With the latest snapshot: a registration committed after this
        // statement started (dskv2_create_schema adopting 0.1.0 triggers while
        // the application writes) counts, as the table itself already does.
        SPIPlanPtr plan = SPI_prepare(
            psprintf("SELECT 1 FROM %s.registrations r WHERE r.kind OPERATOR(pg_catalog.=) 'sync' "
                     "AND r.table_schema OPERATOR(pg_catalog.=) $1 AND r.table_name OPERATOR(pg_catalog.=) $2 "
                     "AND r.source OPERATOR(pg_catalog.=) $3",
                     quote_identifier(private_schema)),
            3, types);
        if (plan == nullptr)
            elog(ERROR, "dskv2: reading the registrations failed: %s", SPI_result_code_string(SPI_result));
        const int rc =
            SPI_execute_snapshot(plan, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
        SPI_freeplan(plan);
        if (rc != SPI_OK_SELECT) elog(ERROR, "dskv2: reading the registrations failed: %s", SPI_result_code_string(rc));
        if (SPI_processed == 0) {
            ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                            errmsg("dskv2: live sync of %s.%s into \"%s\" was not registered by the target's owner",
                                   nspname, relname, entry->target),
                            errhint("Drop the trigger \"%s\"; dskv2_sync_enable() attaches live sync.", tgname)));
        }
    }
    for (int i = 0; i < kMaxRelations; ++i) {
        if (!OidIsValid(entry->relids[i])) continue;
        const char kind = get_rel_relkind(entry->relids[i]);
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE) {
            ereport(ERROR,
                    (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                     errmsg("dskv2: live sync reads %s.%s as the target's owner, and it is not a table",
                            get_namespace_name(get_rel_namespace(entry->relids[i])), get_rel_name(entry->relids[i])),
                     errhint("Live sync reads ordinary and partitioned tables only.")));
        }
    }
}

// Runs under SPI, after the arguments were checked.
SyncEntry* DescribeSync(TriggerData* td) {
    if (sync_entries == nullptr) {
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(Oid);
        ctl.entrysize = sizeof(SyncEntry);
        ctl.hcxt = CacheMemoryContext;
        sync_entries = hash_create("dskv2 live sync triggers", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
        CacheRegisterRelcacheCallback(InvalidateSyncEntries, (Datum)0);
    }
    Trigger* trigger = td->tg_trigger;
    bool found = false;
    auto* entry = static_cast<SyncEntry*>(hash_search(sync_entries, &trigger->tgoid, HASH_ENTER, &found));
    if (found && entry->valid) return entry;
    if (!found) {
        // Everything but the key: no plan yet.
        memset(reinterpret_cast<char*>(entry) + offsetof(SyncEntry, valid), 0,
               sizeof(SyncEntry) - offsetof(SyncEntry, valid));
    }
    FreePlans(entry);
    entry->valid = false;

    Relation rel = td->tg_relation;
    const char* relname = RelationGetRelationName(rel);
    char* nspname = get_namespace_name(RelationGetNamespace(rel));
    strlcpy(entry->target, trigger->tgargs[0], NAMEDATALEN);
    strlcpy(entry->source, trigger->tgargs[1], NAMEDATALEN);
    entry->run_id = DatumGetInt64(DirectFunctionCall1(int8in, CStringGetDatum(trigger->tgargs[2])));
    // What the catalogue says of this legacy table (its mapping, key, merge).
    dskv2::core::LegacyTriggerInfo info;
    const dskv2::core::LegacySchema schema =
        strcmp(nspname, "auth") == 0 ? dskv2::core::LegacySchema::kAuth : dskv2::core::LegacySchema::kSource;
    if (!dskv2::core::DescribeLegacyTrigger(schema, relname, &info)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
                        errmsg("dskv2: live sync does not know the legacy table %s.%s", nspname, relname),
                        errhint("Drop the trigger \"%s\" on it.", trigger->tgname)));
    }
    strlcpy(entry->mapping, info.mapping, NAMEDATALEN);
    // The relations the mapping reads: this one, and the other ones of its mapping.
    memset(entry->relids, 0, sizeof(entry->relids));
    for (int i = 0; i < info.nrelations && i < kMaxRelations - 1; ++i) {
        entry->relids[i] = RelidOf(info.relations[i].auth ? "auth" : entry->source, info.relations[i].name);
    }
    entry->relids[kMaxRelations - 1] = RelidOf(entry->target, info.target);
    RequireRegistered(entry, trigger->tgname, nspname, relname, schema == dskv2::core::LegacySchema::kAuth);
    entry->merging = info.merging;
    entry->pair_attnums[0] = entry->pair_attnums[1] = 0;
    if (info.pair_a[0] != '\0') {
        const AttrNumber a = SPI_fnumber(RelationGetDescr(rel), info.pair_a);
        const AttrNumber b = SPI_fnumber(RelationGetDescr(rel), info.pair_b);
        if (a > 0 && b > 0) {
            entry->pair_attnums[0] = a;
            entry->pair_attnums[1] = b;
        }
    }
    entry->primary = info.primary;
    entry->lock_key = MappingLockKey(entry->target, entry->mapping);
    entry->key_attnum = SPI_fnumber(RelationGetDescr(rel), info.key);
    if (entry->key_attnum <= 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("dskv2: live sync: %s.%s has no column \"%s\"", nspname, relname, info.key)));
    }

    const Oid ext_nsp = get_func_namespace(trigger->tgfoid);
    Oid types[2] = {TEXTARRAYOID, BOOLOID};
    // The statements are generated for the target's shape and the legacy
    // columns as they are now, not as the legacy statement's snapshot saw
    // them: the catalogue they are parsed against is the latest. The V2
    // table's lock first, so that a dskv2_create_schema moving its columns
    // (ACCESS EXCLUSIVE until it commits) has committed, and its shape is
    // what the snapshot then reads.
    if (OidIsValid(entry->relids[kMaxRelations - 1]))
        LockRelationOid(entry->relids[kMaxRelations - 1], AccessShareLock);
    PushActiveSnapshot(GetLatestSnapshot());
    entry->sync_plan = Prepare(MappingSql(ext_nsp, entry, "sync", "sync"), 2, types);
    entry->insert_plan = Prepare(MappingSql(ext_nsp, entry, "sync_insert", "sync"), 1, types);
    if (entry->merging) {
        entry->keys_plan = Prepare(MappingSql(ext_nsp, entry, "migrate", "keys"), 1, types);
        entry->delete_plan = Prepare(MappingSql(ext_nsp, entry, "sync_delete", "sync"), 1, types);
    } else {
        entry->update_plan = Prepare(MappingSql(ext_nsp, entry, "sync_update", "sync"), 1, types);
        entry->unchanged_plan = Prepare(MappingSql(ext_nsp, entry, "sync_unchanged", "sync"), 1, types);
    }
    PopActiveSnapshot();
    const char* t = quote_identifier(entry->target);
    Oid reject_types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
    entry->reject_plan = Prepare(
        psprintf(
            "INSERT INTO %s.migration_rejects AS r (source_table, source_key, reason, row_data, run_id) "
            "VALUES ($1, $2, 'sync_error', pg_catalog.jsonb_build_object('sqlstate', $3, 'error', $4), "
            "%lld::pg_catalog.int8) ON CONFLICT (source_table, source_key) DO UPDATE SET reason = EXCLUDED.reason, "
            "row_data = EXCLUDED.row_data, run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at",
            t, static_cast<long long>(entry->run_id)),
        4, reject_types);
    if (info.has_orphans) {
        Oid child_types[5] = {TEXTOID, NAMEOID, NAMEOID, INT8OID, TEXTARRAYOID};
        entry->children_plan = Prepare(psprintf("SELECT %s.dskv2_sync_children($1, $2, $3, $4, $5)",
                                                quote_identifier(get_namespace_name(ext_nsp))),
                                       5, child_types);
    }
    entry->valid = true;
    return entry;
}

// ---------------------------------------------------------------------------
// Applying one key.

Datum KeyArray(const char* key) {
    Datum element = CStringGetTextDatum(key);
    return PointerGetDatum(construct_array(&element, 1, TEXTOID, -1, false, TYPALIGN_INT));
}

int RunLatest(SPIPlanPtr plan, Datum* values, const char* nulls) {
    return SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, false, true, 0);
}

// A single bigint or boolean column of the last SPI result's first row.
Datum FirstValue(int column, bool* isnull) {
    *isnull = true;
    if (SPI_processed == 0) return (Datum)0;
    return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, isnull);
}

void CheckSelect(const SyncEntry* entry, int rc) {
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "dskv2: live sync of %s failed: %s", entry->mapping, SPI_result_code_string(rc));
}

enum class Change { kInsert, kUpdate, kDelete };

// A fast path did it all: it wrote exactly one row, of a key without a
// quarantine record.
bool FastPathDone(const SyncEntry* entry, int rc, int expected_rc) {
    if (rc != expected_rc) elog(ERROR, "dskv2: live sync of %s failed: %s", entry->mapping, SPI_result_code_string(rc));
    bool isnull;
    return SPI_processed == 1 && !DatumGetBool(FirstValue(1, &isnull)) && !isnull;
}

// The key maps, is in V2 as it maps and is not quarantined: nothing to do.
bool Unchanged(const SyncEntry* entry, Datum* values) {
    CheckSelect(entry, RunLatest(entry->unchanged_plan, values, nullptr));
    bool isnull;
    const Datum unchanged = FirstValue(1, &isnull);
    return !isnull && DatumGetBool(unchanged);
}

// The mapping applied to one key, as the owner of the target, with the
// migration's settings (search_path pg_catalog, row_security off). A fast
// path first (one plain statement for the common cases), the complete
// statement when it does not apply.
void ApplyKey(SyncEntry* entry, const char* key, Change change) {
    Datum values[2] = {KeyArray(key), BoolGetDatum(change == Change::kDelete)};
    bool isnull;
    // A new row; or the profile of an auth user its statement inserted and
    // did not sync yet (a sign-up): no V2 row yet either.
    const bool fresh = change == Change::kInsert && (entry->primary || IsPending(entry->relids[0], key));
    if (fresh) {
        if (FastPathDone(entry, RunLatest(entry->insert_plan, values, nullptr), SPI_OK_INSERT_RETURNING)) return;
    } else if (change != Change::kDelete && !entry->merging) {
        if (FastPathDone(entry, RunLatest(entry->update_plan, values, nullptr), SPI_OK_UPDATE_RETURNING)) return;
        // Nothing written: V2 may already hold what the row maps to (a change
        // of columns the mapping does not read, a profile created with what
        // its auth user had).
        if (SPI_processed == 0 && Unchanged(entry, values)) return;
    } else if (change == Change::kDelete && entry->merging) {
        if (FastPathDone(entry, RunLatest(entry->delete_plan, values, nullptr), SPI_OK_DELETE_RETURNING)) return;
    }
    elog(DEBUG2, "dskv2: live sync of %s key %s: the complete statement", entry->mapping, key);
    CheckSelect(entry, RunLatest(entry->sync_plan, values, nullptr));
    if (entry->merging) {
        // Write the released groups again, from legacy alone.
        const Datum keys = FirstValue(1, &isnull);
        if (!isnull) {
            ArrayType* array = DatumGetArrayTypePCopy(keys);
            if (ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array)) > 0) {
                Datum key_values[1] = {PointerGetDatum(array)};
                CheckSelect(entry, RunLatest(entry->keys_plan, key_values, nullptr));
            }
        }
    }
    if (change == Change::kDelete && entry->children_plan != nullptr) {
        Datum child_values[5] = {
            CStringGetTextDatum(entry->mapping), DirectFunctionCall1(namein, CStringGetDatum(entry->source)),
            DirectFunctionCall1(namein, CStringGetDatum(entry->target)), Int64GetDatum(entry->run_id), values[0]};
        CheckSelect(entry, SPI_execute_plan(entry->children_plan, child_values, nullptr, false, 0));
    }
}

// Errors that must reach the application: cancel, timeouts, out of memory,
// a transaction that must be retried, shutdown, internal errors.
bool MustRaise(int sqlerrcode) {
    const int category = ERRCODE_TO_CATEGORY(sqlerrcode);
    return category == ERRCODE_OPERATOR_INTERVENTION || category == ERRCODE_INSUFFICIENT_RESOURCES ||
           category == ERRCODE_TRANSACTION_ROLLBACK || category == ERRCODE_PROGRAM_LIMIT_EXCEEDED ||
           category == ERRCODE_SYSTEM_ERROR || category == ERRCODE_INTERNAL_ERROR ||
           sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE;
}

// One key, in a subtransaction: a change the mapping cannot apply (a V2
// constraint, a concurrent e-mail) is quarantined as sync_error, and the
// legacy statement goes on. With may_retry, a failure of statements that went
// stale while they ran (the entry invalidated: a dskv2_create_schema moved
// columns and committed while this change waited for its lock) is not
// quarantined: false asks the caller to describe the table again and retry once.
bool SyncKey(SyncEntry* entry, const char* key, Change change, bool may_retry = true) {
    MemoryContext caller = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    volatile bool retry = false;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(caller);
    PG_TRY();
    {
        ApplyKey(entry, key, change);
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller);
        CurrentResourceOwner = owner;
        if (pending_open > 0) CoverPending(entry->relids[0], key);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller);
        ErrorData* edata = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller);
        CurrentResourceOwner = owner;
        if (MustRaise(edata->sqlerrcode)) ReThrowError(edata);
        if (may_retry && !entry->valid) {
            retry = true;
        } else {
            Datum values[4] = {CStringGetTextDatum(entry->mapping), CStringGetTextDatum(key),
                               CStringGetTextDatum(unpack_sql_state(edata->sqlerrcode)),
                               CStringGetTextDatum(edata->message != nullptr ? edata->message : "")};
            const int rc = SPI_execute_plan(entry->reject_plan, values, nullptr, false, 0);
            if (rc != SPI_OK_INSERT)
                elog(ERROR, "dskv2: quarantining a live sync error failed: %s", SPI_result_code_string(rc));
            ereport(WARNING, (errmsg("dskv2: live sync could not apply %s key %s: %s", entry->mapping, key,
                                     edata->message != nullptr ? edata->message : ""),
                              errdetail("The change is quarantined as sync_error; the legacy statement goes on."),
                              errhint("Fix the cause, then run dskv2_sync_enable() again to catch up.")));
        }
        FreeErrorData(edata);
    }
    PG_END_TRY();
    return !retry;
}

// SyncKey, and once more with the table described again when its statements
// went stale while they ran.
void SyncKeyFresh(TriggerData* td, SyncEntry*& entry, const char* key, Change change) {
    if (SyncKey(entry, key, change)) return;
    elog(DEBUG1, "dskv2: live sync of %s key %s: statements went stale, described again", entry->mapping, key);
    entry = DescribeSync(td);
    SyncKey(entry, key, change, false);
}

char* KeyText(HeapTuple tuple, TupleDesc desc, AttrNumber attnum) {
    bool isnull;
    const Datum value = heap_getattr(tuple, attnum, desc, &isnull);
    if (isnull) return nullptr;
    Oid output;
    bool varlena;
    getTypeOutputInfo(TupleDescAttr(desc, attnum - 1)->atttypid, &output, &varlena);
    return OidOutputFunctionCall(output, value);
}

// An UPDATE that left every column as it was (UPDATE ... SET x = x, or a
// no-op written by an ORM) has nothing to sync.
bool SameRow(HeapTuple a, HeapTuple b, TupleDesc desc) {
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped) continue;
        bool a_null, b_null;
        const Datum x = heap_getattr(a, i + 1, desc, &a_null);
        const Datum y = heap_getattr(b, i + 1, desc, &b_null);
        if (a_null != b_null) return false;
        if (!a_null && !datum_image_eq(x, y, att->attbyval, att->attlen)) return false;
    }
    return true;
}

// The hash of a favorites row's (user, product) pair, from the columns'
// binary images (NULL hashes apart from every value).
uint32 PairHash(const SyncEntry* entry, HeapTuple tuple, TupleDesc desc) {
    uint32 hash = 0;
    for (const AttrNumber attnum : entry->pair_attnums) {
        Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
        bool isnull;
        const Datum value = heap_getattr(tuple, attnum, desc, &isnull);
        uint32 part = 0x6e756c6c;  // "null"
        if (!isnull) {
            if (att->attbyval) {
                part = DatumGetUInt32(hash_any(reinterpret_cast<const unsigned char*>(&value), sizeof(Datum)));
            } else {
                const Size size = datumGetSize(value, false, att->attlen);
                part = DatumGetUInt32(
                    hash_any(reinterpret_cast<const unsigned char*>(DatumGetPointer(value)), static_cast<int>(size)));
            }
        }
        hash = hash_combine(hash, part);
    }
    return hash;
}

// The locks of a favorites change: the table's shared, then the pairs of the
// row before and after, in hash order (two writers of the same pairs never
// wait for each other crosswise).
void LockFavorites(const SyncEntry* entry, TriggerData* td) {
    TupleDesc desc = RelationGetDescr(td->tg_relation);
    const TriggerEvent event = td->tg_event;
    uint32 pairs[2] = {0, 0};
    int n = 0;
    if (TRIGGER_FIRED_BY_UPDATE(event)) {
        pairs[n++] = PairHash(entry, td->tg_trigtuple, desc);
        pairs[n++] = PairHash(entry, td->tg_newtuple, desc);
    } else {
        pairs[n++] = PairHash(entry, td->tg_trigtuple, desc);
    }
    if (n == 2 && pairs[1] < pairs[0]) std::swap(pairs[0], pairs[1]);
    LockMapping(entry->lock_key, false);
    LockPair(entry->lock_key, pairs[0]);
    if (n == 2 && pairs[1] != pairs[0]) LockPair(entry->lock_key, pairs[1]);
}

// pg_trigger_depth(): 1 for a statement the client sent, more for one a
// trigger or a foreign key action runs.
int TriggerDepth() { return DatumGetInt32(DirectFunctionCall1(pg_trigger_depth, (Datum)0)); }

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_sync_trigger);
PG_FUNCTION_INFO_V1(dskv2_guard_trigger);
PG_FUNCTION_INFO_V1(dskv2_sync_writing);

Datum dskv2_sync_trigger(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: dskv2_sync_trigger() must be called as a trigger")));
    }
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    CheckArguments(td);
    const TriggerEvent event = td->tg_event;
    if (TRIGGER_FIRED_BY_TRUNCATE(event)) {
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("dskv2: TRUNCATE of %s.%s is refused while live sync into \"%s\" is on",
                               get_namespace_name(RelationGetNamespace(td->tg_relation)),
                               RelationGetRelationName(td->tg_relation), td->tg_trigger->tgargs[0]),
                        errhint("Delete the rows instead (live sync follows), or turn live sync off with "
                                "dskv2_sync_disable() first.")));
    }
    // AFTER INSERT FOR EACH STATEMENT (dskv2_sync_flush): the rows the
    // statement inserted and nothing synced since.
    const bool flush = TRIGGER_FIRED_AFTER(event) && !TRIGGER_FIRED_FOR_ROW(event) && TRIGGER_FIRED_BY_INSERT(event);
    if (!flush && (!TRIGGER_FIRED_AFTER(event) || !TRIGGER_FIRED_FOR_ROW(event))) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: dskv2_sync_trigger() runs AFTER ... FOR EACH ROW, AFTER INSERT FOR EACH "
                               "STATEMENT, or BEFORE TRUNCATE")));
    }
    const Oid relid = RelationGetRelid(td->tg_relation);
    if (flush) {
        if (pending_open == 0) return PointerGetDatum(nullptr);
    } else if (TRIGGER_FIRED_BY_UPDATE(event) &&
               SameRow(td->tg_trigtuple, td->tg_newtuple, RelationGetDescr(td->tg_relation))) {
        return PointerGetDatum(nullptr);
    } else if (TRIGGER_FIRED_BY_INSERT(event) && DefersInsert(td, fcinfo->flinfo->fn_oid)) {
        TupleDesc desc = RelationGetDescr(td->tg_relation);
        char* key = KeyText(td->tg_trigtuple, desc, SPI_fnumber(desc, "id"));
        if (key != nullptr && QueuePending(relid, key)) return PointerGetDatum(nullptr);
    }

    const Oid owner = dskv2::pg::TargetOwner(td->tg_trigger->tgargs[0],
                                             "Turn live sync off with dskv2_sync_disable(), or drop the trigger.");
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    dskv2::pg::RegisterFlagReset();
    const bool saved_suppressed = dskv2::pg::audit_suppressed;
    const bool saved_writing = dskv2::pg::sync_writing;
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    const int nest = NewGUCNestLevel();
    PG_TRY();
    {
        // As the target's owner, with the pinned settings (whatever the legacy
        // writer's session says, session_replication_role included); V2 writes
        // are not audited per row.
        SetUserIdAndSecContext(owner, saved_context | SECURITY_LOCAL_USERID_CHANGE);
        dskv2::pg::PinSettings(dskv2::pg::Pin::kOwner, GUC_ACTION_SAVE);
        dskv2::pg::audit_suppressed = true;
        dskv2::pg::sync_writing = true;
        SyncEntry* entry = DescribeSync(td);
        TupleDesc desc = RelationGetDescr(td->tg_relation);
        char* key = nullptr;
        char* old_key = nullptr;  // a key the row left (UPDATE of the key, DELETE)
        if (!flush && entry->pair_attnums[0] > 0) {
            LockFavorites(entry, td);
        } else {
            LockMapping(entry->lock_key, entry->merging);
        }
        if (flush) {
            int count = 0;
            char** keys = OpenPendingKeys(relid, &count);
            for (int i = 0; i < count; ++i) {
                // Still open: nothing synced it since the list was taken.
                if (!IsPending(relid, keys[i])) continue;
                SyncKeyFresh(td, entry, keys[i], Change::kInsert);
                CoverPending(relid, keys[i]);  // also when it failed (quarantined as sync_error)
            }
        } else if (TRIGGER_FIRED_BY_INSERT(event)) {
            key = KeyText(td->tg_trigtuple, desc, entry->key_attnum);
        } else if (TRIGGER_FIRED_BY_DELETE(event)) {
            old_key = KeyText(td->tg_trigtuple, desc, entry->key_attnum);
        } else {
            key = KeyText(td->tg_newtuple, desc, entry->key_attnum);
            old_key = KeyText(td->tg_trigtuple, desc, entry->key_attnum);
            if (key != nullptr && old_key != nullptr && strcmp(key, old_key) == 0) old_key = nullptr;
        }
        if (old_key != nullptr) SyncKeyFresh(td, entry, old_key, Change::kDelete);
        if (key != nullptr) {
            SyncKeyFresh(td, entry, key,
                         TRIGGER_FIRED_BY_INSERT(event) || old_key != nullptr ? Change::kInsert : Change::kUpdate);
        }
    }
    PG_FINALLY();
    {
        dskv2::pg::audit_suppressed = saved_suppressed;
        dskv2::pg::sync_writing = saved_writing;
    }
    PG_END_TRY();
    AtEOXact_GUC(true, nest);
    SetUserIdAndSecContext(saved_user, saved_context);
    SPI_finish();
    return PointerGetDatum(nullptr);
}

// BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT; arguments:
// the target schema, then the exempt roles. Statements an application sends
// are refused; writes made by triggers and foreign key actions (a sign-up's
// profile row, a cascade from auth.users) go on, as do members of an exempt role.
Datum dskv2_guard_trigger(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("dskv2: dskv2_guard_trigger() must be called as a trigger")));
    }
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    Trigger* trigger = td->tg_trigger;
    if (trigger->tgnargs < 1) {
        ereport(ERROR,
                (errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
                 errmsg("dskv2: trigger \"%s\" needs the target schema as its first argument", trigger->tgname)));
    }
    if (TriggerDepth() > 1) return PointerGetDatum(nullptr);
    const Oid user = GetUserId();
    for (int i = 1; i < trigger->tgnargs; ++i) {
        const Oid role = get_role_oid(trigger->tgargs[i], true);
        if (OidIsValid(role) && is_member_of_role_nosuper(user, role)) return PointerGetDatum(nullptr);
    }
    const TriggerEvent event = td->tg_event;
    const char* op = TRIGGER_FIRED_BY_INSERT(event)   ? "INSERT"
                     : TRIGGER_FIRED_BY_UPDATE(event) ? "UPDATE"
                     : TRIGGER_FIRED_BY_DELETE(event) ? "DELETE"
                                                      : "TRUNCATE";
    ereport(ERROR, (errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
                    errmsg("dskv2: %s.%s is read-only since the switch to \"%s\": %s refused",
                           get_namespace_name(RelationGetNamespace(td->tg_relation)),
                           RelationGetRelationName(td->tg_relation), trigger->tgargs[0], op),
                    errhint("The application writes to schema \"%s\" now.", trigger->tgargs[0])));
    return PointerGetDatum(nullptr);
}

Datum dskv2_sync_writing(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(dskv2::pg::sync_writing); }

}  // extern "C"

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_set_sync_writing);

// dskv2_set_sync_writing(on boolean) RETURNS boolean: for the catch-up, which
// applies live sync's statements from SQL; returns the previous value.
Datum dskv2_set_sync_writing(PG_FUNCTION_ARGS) {
    const bool on = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
    dskv2::pg::RegisterFlagReset();
    const bool previous = dskv2::pg::sync_writing;
    dskv2::pg::sync_writing = on;
    PG_RETURN_BOOL(previous);
}

}  // extern "C"
