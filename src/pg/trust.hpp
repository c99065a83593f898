// Trust from ownership for the code that switches identity (docs/security.md,
// "Trust from ownership"): the native triggers and live sync write as the
// target's owner only when the target is trusted, and only for what that
// owner registered.
#pragma once

#include "postgres_ext.h"

namespace dskv2::pg {

// The owner of the dskv2 target schema `target`, as whom side rows are
// written, when the target is trusted: 3F000 (with hint) when the schema is
// gone, 42501 naming the first offending object when it is not trusted. The
// verdict is cached per backend and dropped by any relcache invalidation and
// by changes of schemas, functions, operators and types (syscache callbacks):
// computed once, not per row.
Oid TargetOwner(const char* target, const char* hint);

// 42501 unless the relation (schema `nsp`, name `relname`) that fired trigger
// `trigger_name` is in the schema `target` (audit and AI metering act only on the target's own
// tables, whose triggers only its owner can create).
void RequireRelationInTarget(Oid nsp, const char* relname, const char* trigger_name, const char* target);

}  // namespace dskv2::pg
