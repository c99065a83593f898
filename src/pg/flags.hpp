// Backend-local flags shared by the native triggers (triggers.cpp) and live
// sync (sync.cpp). Both last at most one transaction: they are put back by the
// code that raised them, and reset at transaction end.
#pragma once

namespace dskv2::pg {

// A migration or live sync is writing V2: the audit trigger writes no row.
extern bool audit_suppressed;
// Live sync is writing V2: the AI-usage trigger meters nothing, and the
// append-only guard of admin_logs lets legacy log rows follow their source.
extern bool sync_writing;

// Resets both flags at the end of every transaction (registered once).
void RegisterFlagReset();

}  // namespace dskv2::pg
