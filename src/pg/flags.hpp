// What the native triggers (triggers.cpp) and live sync (sync.cpp) share:
// backend-local flags, which last at most one transaction (put back by the
// code that raised them, reset at transaction end).
#pragma once

#include "postgres_ext.h"

namespace dskv2::pg {

// A migration or live sync is writing V2: the audit trigger writes no row.
extern bool audit_suppressed;
// Live sync is writing V2: the AI-usage trigger meters nothing, and the
// append-only guard of admin_logs lets legacy log rows follow their source.
extern bool sync_writing;

// Resets both flags at the end of every transaction (registered once).
void RegisterFlagReset();

}  // namespace dskv2::pg
