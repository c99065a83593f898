// The settings dskv2's SQL runs under, whoever calls it and whatever the
// session says (docs/security.md, "Pinned settings"), and the server's literal
// quoting for the SQL generator. Plain C interfaces: nothing here throws.
#pragma once

extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

namespace dskv2::pg {

// What the code about to run does with the pinned settings.
enum class Pin {
    kCaller,  // an entry point, as its caller
    kOwner,   // as the target's owner (an identity switch): also row_security = off and
              // session_replication_role = origin (V2 foreign keys and audit fire)
};

// Sets every pinned setting whose value differs, with `action`: GUC_ACTION_SAVE
// at a nest level the caller opened (NewGUCNestLevel, closed by
// AtEOXact_GUC(true, level)), GUC_ACTION_LOCAL for the rest of the transaction.
// Raises only on out of memory.
void PinSettings(Pin pin, GucAction action);

// The pinned settings at a new nest level: returns the level, which
// AtEOXact_GUC(true, level) closes (an error on the way closes it too).
int PinnedNestLevel(Pin pin);

// 22023 unless session_replication_role is origin: DBA entry points refuse a
// replica session (its triggers, foreign keys and audit would not fire).
void RequireOriginRole(const char* entry_point);

}  // namespace dskv2::pg
