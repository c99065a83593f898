// How the SQL generator quotes what comes from outside the extension: legacy
// column names, mapping names, slug columns (docs/security.md, "Generated SQL").
// Identifiers are always double-quoted, with `"` doubled: a quoted identifier
// means the same under every session setting. Literals go through the
// server's quote_literal_cstr, which the extension installs when it is loaded
// (src/pg/quoting.cpp); until then (unit tests, fuzzers) through
// FallbackQuoteLiteral, which follows the server's rules.
#pragma once

#include "core/pg_free.hpp"

#include <string>
#include <string_view>

namespace dskv2::core {

// Returns `text` as an SQL string literal. Must not return on bad input
// without quoting it: it throws instead.
using LiteralQuoter = std::string (*)(std::string_view text);

// Installs the literal quoter (nullptr: the fallback). Not thread-safe: called
// once, when the library is loaded.
void SetLiteralQuoter(LiteralQuoter quoter) noexcept;

// `text` as a literal, through the installed quoter.
std::string QuoteLiteral(std::string_view text);

// `name` as a quoted identifier.
std::string QuoteIdent(std::string_view name);

// The server's rules (quote_literal_cstr): quotes doubled; with a backslash,
// backslashes doubled too and the literal written E'...', which reads the
// same whatever standard_conforming_strings says.
std::string FallbackQuoteLiteral(std::string_view text);

}  // namespace dskv2::core
