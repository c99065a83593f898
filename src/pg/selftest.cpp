// dskv2_boundary_selftest(mode): a diagnostic that drives every path of the
// C++/PostgreSQL boundary (pg/boundary.hpp) on demand, so the test suites can
// prove that each failure becomes a clean ERROR and the backend keeps serving.
// Superuser-only (EXECUTE revoked from PUBLIC in the install script).
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "pg/boundary.hpp"

extern "C" {
#include "utils/builtins.h"
}

namespace {

using dskv2::pg::Call;
using dskv2::pg::Invoke;

Datum ParseInt4Unsafe(const char* input) { return DirectFunctionCall1(int4in, CStringGetDatum(input)); }

// The selftest's work: owns heap objects while failing, as real code does.
Datum RunSelftest(const std::string& mode) {
    std::vector<std::string> live_objects(8, std::string(64, 'x'));
    auto guard = std::make_unique<std::vector<int>>(1024, 7);

    if (mode == "ok") {
        return PointerGetDatum(Call(cstring_to_text, static_cast<const char*>("ok")));
    }
    if (mode == "core_error") {
        throw dskv2::core::Error(dskv2::core::ErrorCode::kInvalidParameterValue,
                                 "selftest: invalid parameter from the core", "raised as dskv2::core::Error");
    }
    if (mode == "bad_alloc") throw std::bad_alloc();
    if (mode == "std_exception") throw std::runtime_error("selftest: std::runtime_error");
    if (mode == "unknown_exception") throw 42;
    if (mode == "pg_error") {
        // A real PostgreSQL ERROR (22P02 from int4in) raised under guarded C++.
        Datum value = Call(ParseInt4Unsafe, static_cast<const char*>("not a number"));
        return value;
    }
    if (mode == "pg_ok") {
        Datum value = Call(ParseInt4Unsafe, static_cast<const char*>("42"));
        return PointerGetDatum(
            Call(cstring_to_text, static_cast<const char*>(DatumGetInt32(value) == 42 ? "42" : "?")));
    }
    throw dskv2::core::Error(dskv2::core::ErrorCode::kInvalidParameterValue, "unknown selftest mode \"" + mode + "\"",
                             "modes: ok, pg_ok, core_error, bad_alloc, std_exception, unknown_exception, pg_error");
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_boundary_selftest);
Datum dskv2_boundary_selftest(PG_FUNCTION_ARGS) {
    text* mode_arg = PG_GETARG_TEXT_PP(0);
    const char* mode = VARDATA_ANY(mode_arg);
    int mode_length = VARSIZE_ANY_EXHDR(mode_arg);
    return Invoke(fcinfo, [&]() -> Datum { return RunSelftest(std::string(mode, mode_length)); });
}

}  // extern "C"
