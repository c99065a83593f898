// The C++/PostgreSQL boundary (docs/architecture.md, "The boundary"), used by every entry point.
//
// Two dangers meet here: a C++ exception escaping an extern "C" function aborts
// the backend, and a PostgreSQL ERROR (a longjmp) skips C++ destructors. So:
//   * every SQL-callable function reads its arguments first, then returns
//     Invoke(fcinfo, impl): impl runs inside try, every exception is turned into
//     a plain ERROR *after* the catch block has ended (never ereport in catch);
//   * C++ code holding live objects calls anything that can raise through
//     Call(fn, args...): PG_TRY around that single call, the error is copied out
//     and rethrown as PgError, which Invoke re-raises with its original SQLSTATE,
//     message, detail and hint.
#pragma once

// std and core headers first: after postgres.h, port.h macros break parts of libc++.
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "core/errors.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/elog.h"
#include "utils/memutils.h"
}

namespace dskv2::pg {

// A PostgreSQL error caught under Call(), copied out of ErrorContext.
struct PgError {
    ErrorData* edata;
};

// The fixed SQLSTATE of each core error code.
inline int SqlStateOf(core::ErrorCode code) noexcept {
    switch (code) {
        case core::ErrorCode::kInvalidParameterValue:
            return ERRCODE_INVALID_PARAMETER_VALUE;
        case core::ErrorCode::kUndefinedTable:
            return ERRCODE_UNDEFINED_TABLE;
        case core::ErrorCode::kUndefinedColumn:
            return ERRCODE_UNDEFINED_COLUMN;
        case core::ErrorCode::kInternal:
            return ERRCODE_INTERNAL_ERROR;
    }
    return ERRCODE_INTERNAL_ERROR;
}

// Runs one PostgreSQL function that may raise. Arguments and result must be
// trivially destructible (pointers, Datums, PODs): nothing with a destructor may
// live inside the PG_TRY block.
template <typename Fn, typename... Args>
auto Call(Fn fn, Args... args) -> decltype(fn(args...)) {
    static_assert((std::is_trivially_destructible_v<Args> && ...), "Call() arguments must be trivially destructible");
    using Result = decltype(fn(args...));
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* edata = nullptr;
    if constexpr (std::is_void_v<Result>) {
        PG_TRY();
        { fn(args...); }
        PG_CATCH();
        {
            MemoryContextSwitchTo(caller_context);
            edata = CopyErrorData();
            FlushErrorState();
        }
        PG_END_TRY();
        if (edata != nullptr) throw PgError{edata};
    } else {
        static_assert(std::is_trivially_destructible_v<Result>, "Call() results must be trivially destructible");
        Result result{};
        PG_TRY();
        { result = fn(args...); }
        PG_CATCH();
        {
            MemoryContextSwitchTo(caller_context);
            edata = CopyErrorData();
            FlushErrorState();
        }
        PG_END_TRY();
        if (edata != nullptr) throw PgError{edata};
        return result;
    }
}

namespace detail {

constexpr std::size_t kMessageSize = 1024;

inline void CopyMessage(char (&buffer)[kMessageSize], const char* text) noexcept {
    if (text == nullptr) {
        buffer[0] = '\0';
        return;
    }
    std::size_t length = std::strlen(text);
    if (length >= kMessageSize) length = kMessageSize - 1;
    std::memcpy(buffer, text, length);
    buffer[length] = '\0';
}

}  // namespace detail

// Runs impl() (returning a Datum) and turns every escaping exception into an
// ERROR once no C++ object of impl is alive any more.
template <typename Impl>
Datum Invoke(FunctionCallInfo fcinfo, Impl&& impl) {
    ErrorData* pg_error = nullptr;
    int sqlstate = 0;
    char message[detail::kMessageSize];
    char hint[detail::kMessageSize];
    hint[0] = '\0';
    try {
        return impl();
    } catch (const PgError& e) {
        pg_error = e.edata;
    } catch (const core::Error& e) {
        sqlstate = SqlStateOf(e.code());
        detail::CopyMessage(message, e.what());
        detail::CopyMessage(hint, e.hint().c_str());
    } catch (const std::bad_alloc&) {
        sqlstate = ERRCODE_OUT_OF_MEMORY;
        detail::CopyMessage(message, "out of memory in dropskills_v2");
    } catch (const std::exception& e) {
        sqlstate = ERRCODE_INTERNAL_ERROR;
        detail::CopyMessage(message, e.what());
    } catch (...) {
        sqlstate = ERRCODE_INTERNAL_ERROR;
        detail::CopyMessage(message, "unknown C++ exception in dropskills_v2");
    }
    // Outside every catch block: the exception objects are destroyed.
    (void)fcinfo;
    if (pg_error != nullptr) ReThrowError(pg_error);
    ereport(ERROR, (errcode(sqlstate), errmsg("%s", message), hint[0] != '\0' ? errhint("%s", hint) : 0));
    pg_unreachable();
}

}  // namespace dskv2::pg
