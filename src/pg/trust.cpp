// The target owner's trust, cached per backend (trust.hpp).
#include "pg/trust.hpp"

#include "pg/settings.hpp"

extern "C" {
#include "postgres.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/guc.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

namespace {

struct TrustEntry {
    Oid nsp;  // the key
    Oid owner;
    bool trusted;
    char problem[256];  // the first finding when not trusted
};

HTAB* trust_entries = nullptr;
// Set by every invalidation callback: the next lookup starts over.
bool trust_stale = false;
bool callbacks_registered = false;

void ForgetTrust(Datum, Oid) { trust_stale = true; }
void ForgetTrustSyscache(Datum, int, uint32) { trust_stale = true; }

void RegisterCallbacks() {
    if (callbacks_registered) return;
    // Relations, their triggers, defaults, constraints, indexes and grants.
    CacheRegisterRelcacheCallback(ForgetTrust, (Datum)0);
    // Schema owners, functions (owners, bodies), operators and types.
    CacheRegisterSyscacheCallback(NAMESPACEOID, ForgetTrustSyscache, (Datum)0);
    CacheRegisterSyscacheCallback(PROCOID, ForgetTrustSyscache, (Datum)0);
    CacheRegisterSyscacheCallback(OPEROID, ForgetTrustSyscache, (Datum)0);
    CacheRegisterSyscacheCallback(TYPEOID, ForgetTrustSyscache, (Datum)0);
    callbacks_registered = true;
}

// Why a target is not trusted, one row (object, problem) per finding, the
// first first (docs/security.md, "Trust from ownership"); $1 is the target.
// It reads the system catalogs only and calls pg_catalog's functions only, so
// it runs the same as any role, under the pinned settings.
constexpr const char kFindingsQuery[] = R"sql(WITH owner AS (
    SELECT n.oid AS nsp, n.nspowner AS role FROM pg_catalog.pg_namespace n WHERE n.nspname = $1
), schemas AS (
    SELECT n.oid, n.nspname, n.nspowner, k.ord
      FROM pg_catalog.pg_namespace n
      JOIN (VALUES ($1, 1), (($1 || '_private')::pg_catalog.name, 2), (($1 || '_api')::pg_catalog.name, 3))
           AS k (name, ord) ON k.name = n.nspname
), rels AS (
    SELECT c.oid, c.relname, c.relkind, c.relowner, c.relacl, s.nspname, s.ord
      FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f', 'c')
), kinds (relkind, word) AS (
    VALUES ('r'::pg_catalog."char", 'table'), ('p', 'table'), ('S', 'sequence'), ('v', 'view'),
           ('m', 'materialized view'), ('f', 'foreign table'), ('c', 'type')
), ext AS (
    SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'dropskills_v2'
), trusted_procs AS (
    -- Functions dskv2 may run while writing: pg_catalog's, the extension's, the owner's.
    SELECT p.oid FROM pg_catalog.pg_proc p, owner o
     WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
        OR p.proowner = o.role
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d, ext
                    WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
                      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.refobjid = ext.oid AND d.deptype = 'e')
), write_deps AS (
    -- What runs on a write to a relation of the target: the objects hanging
    -- off it (defaults, constraints, indexes, triggers) and what they call.
    SELECT r.nspname, r.relname, r.ord, d.refclassid, d.refobjid, what.word
      FROM rels r
      JOIN LATERAL (
          SELECT 'pg_catalog.pg_attrdef'::pg_catalog.regclass AS classid, ad.oid AS objid, 'a default' AS word
            FROM pg_catalog.pg_attrdef ad WHERE ad.adrelid = r.oid
          UNION ALL
          SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, co.oid, 'a constraint'
            FROM pg_catalog.pg_constraint co WHERE co.conrelid = r.oid
          UNION ALL
          SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, i.indexrelid, 'an index'
            FROM pg_catalog.pg_index i WHERE i.indrelid = r.oid
          UNION ALL
          SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, tg.oid, 'a trigger'
            FROM pg_catalog.pg_trigger tg WHERE tg.tgrelid = r.oid
      ) what ON true
      JOIN pg_catalog.pg_depend d ON d.classid = what.classid AND d.objid = what.objid
     WHERE d.refclassid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_operator'::pg_catalog.regclass)
), write_procs AS (
    SELECT w.nspname, w.relname, w.ord, w.word,
           CASE WHEN w.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN w.refobjid
                ELSE (SELECT op.oprcode::pg_catalog.oid FROM pg_catalog.pg_operator op WHERE op.oid = w.refobjid) END
           AS proc
      FROM write_deps w
), findings AS (
    -- 1. The companion schemas belong to the target's owner.
    SELECT s.ord * 100 AS ord, 0::pg_catalog.int8 AS sub,
           pg_catalog.format('schema %I', s.nspname) AS object,
           pg_catalog.format('is owned by %s, not by %s (the owner of schema %I)',
                             s.nspowner::pg_catalog.regrole, o.role::pg_catalog.regrole, $1) AS problem
      FROM schemas s, owner o WHERE s.ord > 1 AND s.nspowner <> o.role
    UNION ALL
    -- 2. Every relation, sequence and composite type in them.
    SELECT r.ord * 100 + 10, r.oid::pg_catalog.int8,
           pg_catalog.format('%s %I.%I', k.word, r.nspname, r.relname),
           pg_catalog.format('is owned by %s, not by %s', r.relowner::pg_catalog.regrole, o.role::pg_catalog.regrole)
      FROM rels r JOIN kinds k ON k.relkind = r.relkind, owner o WHERE r.relowner <> o.role
    UNION ALL
    -- 3. Every function and procedure.
    SELECT s.ord * 100 + 20, p.oid::pg_catalog.int8,
           pg_catalog.format('function %I.%I', s.nspname, p.proname),
           pg_catalog.format('is owned by %s, not by %s', p.proowner::pg_catalog.regrole, o.role::pg_catalog.regrole)
      FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace, owner o WHERE p.proowner <> o.role
    UNION ALL
    -- 4. Every type of their own (a table's row type goes with the table).
    SELECT s.ord * 100 + 30, t.oid::pg_catalog.int8,
           pg_catalog.format('type %I.%I', s.nspname, t.typname),
           pg_catalog.format('is owned by %s, not by %s', t.typowner::pg_catalog.regrole, o.role::pg_catalog.regrole)
      FROM pg_catalog.pg_type t JOIN schemas s ON s.oid = t.typnamespace, owner o
     WHERE t.typowner <> o.role AND t.typrelid = 0 AND t.typelem = 0
    UNION ALL
    -- 5. Nobody else may fire code on them or block them; nobody else writes
    --    the private bookkeeping.
    SELECT r.ord * 100 + 40, r.oid::pg_catalog.int8,
           pg_catalog.format('%s %I.%I', k.word, r.nspname, r.relname),
           pg_catalog.format('grants %s to %s', a.privilege_type,
                             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::pg_catalog.regrole::pg_catalog.text END)
      FROM rels r JOIN kinds k ON k.relkind = r.relkind
      CROSS JOIN LATERAL pg_catalog.aclexplode(r.relacl) a, owner o
     WHERE a.grantee <> o.role
       AND (a.privilege_type IN ('TRIGGER', 'TRUNCATE', 'REFERENCES')
            OR (r.ord = 2 AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE')))
    UNION ALL
    -- 6. What runs on a write: pg_catalog's, the extension's or the owner's.
    SELECT w.ord * 100 + 50, w.proc::pg_catalog.int8,
           pg_catalog.format('function %s', w.proc::pg_catalog.regprocedure),
           pg_catalog.format('runs on a write to %I.%I (%s) but is owned by %s', w.nspname, w.relname, w.word,
                             p.proowner::pg_catalog.regrole)
      FROM write_procs w JOIN pg_catalog.pg_proc p ON p.oid = w.proc
     WHERE w.proc NOT IN (SELECT t.oid FROM trusted_procs t)
)
SELECT DISTINCT ON (f.ord, f.sub, f.object, f.problem) f.object, f.problem
  FROM findings f
 ORDER BY f.ord, f.sub, f.object, f.problem
)sql";

// The first finding for `target` as one sentence, or false when trusted.
// Copies it into `out` (truncated to `size`).
bool FirstProblem(const char* target, char* out, size_t size) {
    const int level = dskv2::pg::PinnedNestLevel(dskv2::pg::Pin::kCaller);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    Oid types[1] = {NAMEOID};
    Datum values[1] = {DirectFunctionCall1(namein, CStringGetDatum(target))};
    // With the latest snapshot: the catalogs as they are now, as the syscache
    // lookups around it see them (not as when the firing statement started).
    SPIPlanPtr plan = SPI_prepare(
        psprintf("SELECT f.object OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) f.problem FROM (%s) f LIMIT 1",
                 kFindingsQuery),
        1, types);
    if (plan == nullptr)
        elog(ERROR, "dskv2: reading the trust of \"%s\" failed: %s", target, SPI_result_code_string(SPI_result));
    const int rc = SPI_execute_snapshot(plan, values, nullptr, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "dskv2: reading the trust of \"%s\" failed: %s", target, SPI_result_code_string(rc));
    const bool found = SPI_processed > 0;
    if (found) {
        char* sentence = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        strlcpy(out, sentence != nullptr ? sentence : "", size);
    }
    SPI_freeplan(plan);
    SPI_finish();
    AtEOXact_GUC(true, level);
    return found;
}

TrustEntry* Lookup(Oid nsp) {
    RegisterCallbacks();
    if (trust_entries == nullptr || trust_stale) {
        if (trust_entries != nullptr) hash_destroy(trust_entries);
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(Oid);
        ctl.entrysize = sizeof(TrustEntry);
        ctl.hcxt = CacheMemoryContext;
        trust_entries = hash_create("dskv2 trusted targets", 8, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
        trust_stale = false;
    }
    bool found = false;
    auto* entry = static_cast<TrustEntry*>(hash_search(trust_entries, &nsp, HASH_FIND, &found));
    return found ? entry : nullptr;
}

}  // namespace

namespace dskv2::pg {

Oid TargetOwner(const char* target, const char* hint) {
    const Oid nsp = get_namespace_oid(target, true);
    if (!OidIsValid(nsp)) {
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_SCHEMA_NAME),
                 errmsg("dskv2: target schema \"%s\" of a dskv2 trigger does not exist", target), errhint("%s", hint)));
    }
    TrustEntry* entry = Lookup(nsp);
    if (entry == nullptr) {
        HeapTuple tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for schema %u", nsp);
        const Oid owner = ((Form_pg_namespace)GETSTRUCT(tuple))->nspowner;
        ReleaseSysCache(tuple);
        // Outside any cache entry: an error here leaves nothing half made.
        char problem[sizeof(entry->problem)];
        const bool untrusted = FirstProblem(target, problem, sizeof(problem));
        // The query may have processed invalidations: look again before entering.
        Lookup(nsp);
        bool found = false;
        entry = static_cast<TrustEntry*>(hash_search(trust_entries, &nsp, HASH_ENTER, &found));
        entry->owner = owner;
        entry->trusted = !untrusted;
        strlcpy(entry->problem, untrusted ? problem : "", sizeof(entry->problem));
    }
    if (!entry->trusted) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("dskv2: target \"%s\" is not trusted: %s", target, entry->problem),
                        errdetail("dskv2 writes as a target's owner only when that role owns the target and "
                                  "everything that runs there."),
                        errhint("See dskv2_security_check('%s').", target)));
    }
    return entry->owner;
}

void RequireRelationInTarget(Oid nsp, const char* relname, const char* trigger_name, const char* target) {
    // Per row: one syscache lookup, names only for the error.
    if (nsp == get_namespace_oid(target, true)) return;
    const char* nspname = get_namespace_name(nsp);
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("dskv2: trigger \"%s\" on %s.%s names target \"%s\", which is not the schema of its "
                           "table",
                           trigger_name, nspname != nullptr ? nspname : "?", relname, target),
                    errhint("dskv2 attaches the audit and AI-usage triggers to the tables of a target only; "
                            "drop this one.")));
}

}  // namespace dskv2::pg

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_trust_findings);

// dskv2_trust_findings(target name) RETURNS TABLE (object text, problem text)
Datum dskv2_trust_findings(PG_FUNCTION_ARGS) {
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    if (PG_ARGISNULL(0)) return (Datum)0;
    const int level = dskv2::pg::PinnedNestLevel(dskv2::pg::Pin::kCaller);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dskv2: SPI_connect failed");
    Oid types[1] = {NAMEOID};
    Datum values[1] = {PG_GETARG_DATUM(0)};
    const int rc = SPI_execute_with_args(kFindingsQuery, 1, types, values, nullptr, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "dskv2: reading the trust of a target failed: %s", SPI_result_code_string(rc));
    for (uint64 i = 0; i < SPI_processed; ++i) {
        Datum row[2];
        bool nulls[2];
        for (int k = 0; k < 2; ++k) {
            row[k] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, k + 1, &nulls[k]);
        }
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, nulls);  // copies the values
    }
    SPI_finish();
    AtEOXact_GUC(true, level);
    return (Datum)0;
}

}  // extern "C"
