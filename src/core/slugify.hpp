// dskv2_slugify: text -> URL slug (docs/mapping.md, "Slugs"). Pure C++, deterministic, own tables.
#pragma once

#include "core/pg_free.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dskv2::core {

// Throws Error{kInvalidParameterValue} for an empty separator, a separator that
// contains an ASCII letter or digit, or a negative max_length.
void ValidateSlugifyArgs(std::string_view separator, std::int64_t max_length);

// input is UTF-8 (invalid sequences are treated as separators, never an error).
// Validates its arguments first (see above).
std::string Slugify(std::string_view input, std::string_view separator = "-", std::int64_t max_length = 0);

}  // namespace dskv2::core
