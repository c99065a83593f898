// Pinned settings and the server's literal quoting (settings.hpp).
#include <string>
#include <string_view>

#include "core/quoting.hpp"
#include "pg/boundary.hpp"
#include "pg/settings.hpp"

extern "C" {
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
}

namespace {

struct Setting {
    const char* name;
    const char* value;  // as GetConfigOption shows it once set
};

// The list of docs/security.md, "Pinned settings". DateStyle pins the field
// order too: legacy text dates are read as ISO, month before day.
constexpr Setting kPinned[] = {
    {"search_path", "pg_catalog, pg_temp"},
    {"standard_conforming_strings", "on"},
    {"transform_null_equals", "off"},
    {"array_nulls", "on"},
    {"TimeZone", "UTC"},
    {"DateStyle", "ISO, MDY"},
    {"IntervalStyle", "postgres"},
    {"bytea_output", "hex"},
    {"extra_float_digits", "1"},
};

constexpr Setting kAsOwner[] = {
    {"row_security", "off"},
    {"session_replication_role", "origin"},
};

void Set(const Setting& s, GucAction action) {
    const char* current = GetConfigOption(s.name, false, false);
    if (current != nullptr && strcmp(current, s.value) == 0) return;
    // PGC_SUSET: session_replication_role is superuser-only for SET, not for
    // the extension's own code.
    (void)set_config_option(s.name, s.value, PGC_SUSET, PGC_S_SESSION, action, true, 0, false);
}

// The server's quote_literal_cstr, for the core's generator. An error (out of
// memory) comes back as PgError, which the entry point re-raises.
std::string ServerQuoteLiteral(std::string_view text) {
    const std::string raw(text);
    char* quoted = dskv2::pg::Call(quote_literal_cstr, static_cast<const char*>(raw.c_str()));
    std::string out(quoted);
    pfree(quoted);
    return out;
}

}  // namespace

namespace dskv2::pg {

void PinSettings(Pin pin, GucAction action) {
    for (const Setting& s : kPinned) Set(s, action);
    if (pin == Pin::kOwner) {
        for (const Setting& s : kAsOwner) Set(s, action);
    }
}

int PinnedNestLevel(Pin pin) {
    const int level = NewGUCNestLevel();
    PinSettings(pin, GUC_ACTION_SAVE);
    return level;
}

void RequireOriginRole(const char* entry_point) {
    if (SessionReplicationRole != SESSION_REPLICATION_ROLE_ORIGIN) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dskv2: %s refuses to run with session_replication_role = %s", entry_point,
                               GetConfigOption("session_replication_role", false, false)),
                        errhint("Run it in a session with session_replication_role = origin.")));
    }
}

}  // namespace dskv2::pg

extern "C" {

void _PG_init(void);
void _PG_init(void) { dskv2::core::SetLiteralQuoter(ServerQuoteLiteral); }

// dskv2_pin_settings(): the pinned settings for the rest of the transaction.
// For the procedures, whose COMMIT ends what a SET clause would set: they call
// it first in every transaction. No SET clause of its own (it would undo them).
PG_FUNCTION_INFO_V1(dskv2_pin_settings);
Datum dskv2_pin_settings(PG_FUNCTION_ARGS) {
    dskv2::pg::PinSettings(dskv2::pg::Pin::kCaller, GUC_ACTION_LOCAL);
    PG_RETURN_VOID();
}

// dskv2_require_origin(entry_point text): 22023 in a replica session.
PG_FUNCTION_INFO_V1(dskv2_require_origin);
Datum dskv2_require_origin(PG_FUNCTION_ARGS) {
    dskv2::pg::RequireOriginRole(PG_ARGISNULL(0) ? "dskv2" : text_to_cstring(PG_GETARG_TEXT_PP(0)));
    PG_RETURN_VOID();
}

}  // extern "C"
