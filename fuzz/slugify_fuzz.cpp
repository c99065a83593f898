// libFuzzer harness of dskv2::core::Slugify (docs/mapping.md, "Slugs").
//
// Byte 0 picks the separator (one in eight picks an invalid one on purpose),
// byte 1 the max_length (0 = no limit half of the time); the rest is the
// input, arbitrary bytes. Any broken invariant traps.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//       fuzz/slugify_fuzz.cpp src/core/slugify.cpp -o /tmp/slugify_fuzz
//   /tmp/slugify_fuzz -max_total_time=60
#include "core/errors.hpp"
#include "core/slugify.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace {

// Index 7 and up are invalid on purpose.
constexpr std::string_view kSeparators[] = {"-", "_", ".", "--", "~", "-.-", "\xE2\x80\x93", "", "a", "x1", "9"};
constexpr std::size_t kValidSeparators = 7;

void Check(bool ok) {
    if (!ok) __builtin_trap();
}

bool IsSlugChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// out = word (sep word)*, or empty; words are non-empty runs of [a-z0-9].
bool IsSlug(std::string_view out, std::string_view sep) {
    std::size_t i = 0;
    if (out.empty()) return true;
    for (;;) {
        const std::size_t word = i;
        while (i < out.size() && IsSlugChar(out[i])) ++i;
        if (i == word) return false;  // empty word: leading or doubled separator
        if (i == out.size()) return true;
        if (out.compare(i, sep.size(), sep) != 0) return false;
        i += sep.size();
        if (i == out.size()) return false;  // trailing separator
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t sep_byte = data[0];
    const std::uint8_t len_byte = data[1];
    const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

    const bool invalid = (sep_byte & 7) == 7;
    const std::size_t sep_index = invalid
                                      ? kValidSeparators + (sep_byte >> 3) % (std::size(kSeparators) - kValidSeparators)
                                      : (sep_byte >> 3) % kValidSeparators;
    const std::string_view sep = kSeparators[sep_index];
    const std::int64_t max_length = (len_byte & 0x80) ? 0 : (len_byte & 0x7F);

    if (invalid) {
        try {
            (void)dskv2::core::Slugify(input, sep, max_length);
        } catch (const dskv2::core::Error& e) {
            Check(e.code() == dskv2::core::ErrorCode::kInvalidParameterValue);
            return 0;
        }
        Check(false);  // an invalid separator must be refused
    }

    const std::string out = dskv2::core::Slugify(input, sep, max_length);
    Check(IsSlug(out, sep));
    if (max_length > 0) {
        Check(out.size() <= static_cast<std::size_t>(max_length));
        // The cut is at a word boundary of the unlimited slug.
        const std::string full = dskv2::core::Slugify(input, sep);
        Check(full.compare(0, out.size(), out) == 0);
        Check(out.size() == full.size() || out.empty() || full.compare(out.size(), sep.size(), sep) == 0);
        if (out.size() < full.size()) {
            // ... and the longest one: the next word would not fit.
            std::size_t next = out.empty() ? 0 : out.size() + sep.size();
            while (next < full.size() && IsSlugChar(full[next])) ++next;
            Check(next > static_cast<std::size_t>(max_length));
        }
    }

    // Default separator: the regex invariant and idempotence.
    const std::string dashed = dskv2::core::Slugify(input);
    Check(IsSlug(dashed, "-"));
    Check(dskv2::core::Slugify(dashed) == dashed);
    return 0;
}
