// The SQL generator's quoting (docs/security.md, "Generated SQL").
#include "core/quoting.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using dskv2::core::FallbackQuoteLiteral;
using dskv2::core::QuoteIdent;
using dskv2::core::QuoteLiteral;
using dskv2::core::SetLiteralQuoter;

TEST(Quoting, PlainLiteralDoublesQuotes) {
    EXPECT_EQ(FallbackQuoteLiteral("users"), "'users'");
    EXPECT_EQ(FallbackQuoteLiteral("l'aventure"), "'l''aventure'");
    EXPECT_EQ(FallbackQuoteLiteral(""), "''");
}

// A backslash makes an E'...' literal, backslashes doubled: it reads the same
// with standard_conforming_strings on or off (a plain '...' would not).
TEST(Quoting, BackslashMakesAnEscapeLiteral) {
    EXPECT_EQ(FallbackQuoteLiteral("a\\b"), "E'a\\\\b'");
    // The column name of the injection this quoting stops.
    EXPECT_EQ(FallbackQuoteLiteral("\\', public.pwn())),NULL) AS legacy --"),
              "E'\\\\'', public.pwn())),NULL) AS legacy --'");
}

TEST(Quoting, IdentifiersAlwaysQuoted) {
    EXPECT_EQ(QuoteIdent("users"), "\"users\"");
    EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(QuoteIdent("a\\b'"), "\"a\\b'\"");
}

std::string Marked(std::string_view text) { return "<" + std::string(text) + ">"; }

// The extension installs the server's quote_literal_cstr; the generator then
// uses it, and nothing else.
TEST(Quoting, InstalledQuoterIsUsed) {
    EXPECT_EQ(QuoteLiteral("x"), "'x'");
    SetLiteralQuoter(Marked);
    EXPECT_EQ(QuoteLiteral("x"), "<x>");
    SetLiteralQuoter(nullptr);
    EXPECT_EQ(QuoteLiteral("x"), "'x'");
}

}  // namespace
