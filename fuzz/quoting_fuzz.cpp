// libFuzzer harness of the SQL generator's quoting (docs/security.md,
// "Generated SQL"): dskv2::core::FallbackQuoteLiteral and QuoteIdent on
// arbitrary bytes. A literal must read back as the input whatever
// standard_conforming_strings says: no backslash at all in a plain '...'
// literal, and in an E'...' literal only doubled ones; a quote inside is always
// doubled, so nothing after the closing quote. Any broken invariant traps.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//       fuzz/quoting_fuzz.cpp src/core/quoting.cpp -o /tmp/quoting_fuzz
//   /tmp/quoting_fuzz -max_total_time=60
#include "core/quoting.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void Check(bool ok) {
    if (!ok) __builtin_trap();
}

// The literal's value as the server reads it, with `escapes` (E'...' or
// standard_conforming_strings = off); traps on anything but doubled quotes and
// doubled backslashes inside.
std::string Read(std::string_view body, bool escapes) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '\'' || (escapes && c == '\\')) {
            Check(i + 1 < body.size() && body[i + 1] == c);
            ++i;
        }
        out.push_back(c);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const std::string literal = dskv2::core::FallbackQuoteLiteral(input);
    const bool e_form = literal.size() >= 3 && literal[0] == 'E';
    const std::string_view quoted = std::string_view(literal).substr(e_form ? 1 : 0);
    Check(quoted.size() >= 2 && quoted.front() == '\'' && quoted.back() == '\'');
    const std::string_view body = quoted.substr(1, quoted.size() - 2);
    Check(e_form == (input.find('\\') != std::string_view::npos));
    // Read as the server would, under both values of standard_conforming_strings.
    Check(Read(body, true) == input || !e_form);
    Check(Read(body, e_form) == input);
    if (!e_form) Check(Read(body, true) == input);

    const std::string ident = dskv2::core::QuoteIdent(input);
    Check(ident.size() >= 2 && ident.front() == '"' && ident.back() == '"');
    std::string name;
    for (std::size_t i = 1; i + 1 < ident.size(); ++i) {
        if (ident[i] == '"') {
            Check(ident[i + 1] == '"' && i + 2 < ident.size());
            ++i;
        }
        name.push_back(ident[i]);
    }
    Check(name == input);
    return 0;
}
