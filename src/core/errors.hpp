// Typed errors of the pure core. The PostgreSQL glue maps each code to a fixed
// SQLSTATE (src/pg/boundary.hpp); the core never knows about SQLSTATEs.
#pragma once

#include "core/pg_free.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace dskv2::core {

enum class ErrorCode {
    kInvalidParameterValue,  // 22023
    kUndefinedTable,         // 42P01
    kUndefinedColumn,        // 42703
    kInternal,               // XX000
};

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, std::string hint = {})
        : std::runtime_error(message), code_(code), hint_(std::move(hint)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    ErrorCode code_;
    std::string hint_;
};

}  // namespace dskv2::core
