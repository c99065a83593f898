// Every header of the pure core includes this guard: the core must stay free of
// PostgreSQL headers so it can be unit-tested, fuzzed and sanitized on its own.
#pragma once

#ifdef POSTGRES_H
#error "src/core is pure C++: include core headers before postgres.h, never postgres.h in core"
#endif
