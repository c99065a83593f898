// dskv2_slugify (docs/mapping.md, "Slugs"): one pass over the UTF-8 input, writing the slug
// straight into the output string.
//
// Convention: python-slugify's default output (NFKD, Unidecode-like
// transliteration, lowercase, runs of [^a-z0-9] become one separator, "1,000"
// gives "1000"), with deliberate differences: HTML entities are decoded
// first, symbols and emoji are dropped (never spelled out), every apostrophe
// (typographic too) separates words, and each CJK ideograph is a word on both
// sides. The transliteration data is our own, generated at development time
// by scripts/gen_translit.py into translit_table.inc and html_entities.inc, so
// no system library upgrade can change a slug.
#include "core/slugify.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace dskv2::core {
namespace {

struct HtmlEntity {
    const char* name;
    std::uint32_t cp1;
    std::uint32_t cp2;  // 0 when the entity is a single code point
};

#include "html_entities.inc"
#include "translit_table.inc"

// ASCII byte -> its lowercase form when it is a letter or digit, else 0.
struct AsciiMap {
    char v[128];
};

constexpr AsciiMap MakeAsciiMap() {
    AsciiMap m{};
    for (int c = '0'; c <= '9'; ++c) m.v[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) m.v[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) m.v[c] = static_cast<char>(c - 'A' + 'a');
    return m;
}

constexpr AsciiMap kAscii = MakeAsciiMap();

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Hangul syllables are romanised algorithmically (Unicode's syllable
// arithmetic) with the Revised Romanization jamo values in their
// transliteration form (final consonants as written). These equal ICU's
// Hangul-Latin per syllable, except that an initial ㄹ is "r" (as in
// Unidecode) where ICU writes "l".
constexpr std::uint32_t kHangulFirst = 0xAC00;
constexpr std::uint32_t kHangulLast = 0xD7A3;
constexpr const char* kHangulLead[19] = {"g",  "kk", "n", "d",  "tt", "r", "m", "b", "pp", "s",
                                         "ss", "",   "j", "jj", "ch", "k", "t", "p", "h"};
constexpr const char* kHangulVowel[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo", "ye", "o",  "wa", "wae",
                                          "oe", "yo", "u",  "wo",  "we", "wi", "yu",  "eu", "ui", "i"};
constexpr const char* kHangulTail[28] = {"",   "g",  "kk", "gs", "n",  "nj", "nh", "d", "l",  "lg",
                                         "lm", "lb", "ls", "lt", "lp", "lh", "m",  "b", "bs", "s",
                                         "ss", "ng", "j",  "ch", "k",  "t",  "p",  "h"};

// Builds the slug in place. A separator is only "pending" after a break and
// is written just before the next letter or digit, so the output never has a
// leading, trailing or doubled separator.
class SlugWriter {
public:
    SlugWriter(std::string& out, std::string_view sep, std::size_t max_len) : out_(out), sep_(sep), max_(max_len) {}

    // True once the max_length prefix is decided: nothing after can change it.
    bool full() const { return full_; }

    void Alnum(char c) {
        if (pending_ != Pending::kNone) {
            // A comma between two digits vanishes ("1,000" -> "1000").
            if (pending_ == Pending::kSep || !IsDigit(c)) {
                if (!out_.empty()) {
                    if (out_.size() >= max_) {
                        full_ = true;
                        return;
                    }
                    out_.append(sep_);
                }
            }
            pending_ = Pending::kNone;
        }
        out_.push_back(c);
        if (out_.size() > max_) full_ = true;
    }

    void Break() { pending_ = Pending::kSep; }

    void Comma() {
        if (pending_ == Pending::kNone && !out_.empty() && IsDigit(out_.back())) {
            pending_ = Pending::kComma;
        } else {
            pending_ = Pending::kSep;
        }
    }

    // A translation: [a-z0-9] letters, a space is a word break.
    void Text(const char* s, std::size_t n) {
        for (std::size_t i = 0; i < n && !full_; ++i) {
            if (s[i] == ' ') {
                Break();
            } else {
                Alnum(s[i]);
            }
        }
    }

    void Text(const char* s) { Text(s, std::strlen(s)); }

    void Ascii(unsigned char b) {
        const char m = kAscii.v[b];
        if (m != 0) {
            Alnum(m);
        } else if (b == ',') {
            Comma();
        } else {
            Break();
        }
    }

    void CodePoint(std::uint32_t cp) {
        if (cp < 0x80) {
            Ascii(static_cast<unsigned char>(cp));
            return;
        }
        if (cp >= kHangulFirst && cp <= kHangulLast) {
            const std::uint32_t s = cp - kHangulFirst;
            Text(kHangulLead[s / 588]);
            Text(kHangulVowel[(s % 588) / 28]);
            Text(kHangulTail[s % 28]);
            return;
        }
        if (cp > 0x10FFFF) {
            Break();
            return;
        }
        const std::uint16_t id = kTranslitBlocks[kTranslitBlockIndex[cp >> 8]][cp & 0xFF];
        if (id == 0) {
            Break();
        } else if (id != 1) {
            const std::uint32_t begin = kTranslitOffsets[id];
            Text(kTranslitBlob + begin, kTranslitOffsets[id + 1] - begin);
        }
        // id 1: nothing (combining mark, format character, soft sign): joins.
    }

private:
    enum class Pending { kNone, kSep, kComma };

    std::string& out_;
    std::string_view sep_;
    std::size_t max_;
    Pending pending_ = Pending::kNone;
    bool full_ = false;
};

// Strict UTF-8 (Unicode Table 3-7): returns the sequence length, or 0 for an
// invalid, overlong, surrogate or truncated sequence.
std::size_t DecodeUtf8(const unsigned char* s, std::size_t n, std::uint32_t* cp) {
    const unsigned b0 = s[0];
    if (b0 < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
    if (b0 < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = ((b0 & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (b0 < 0xF0) {
        if (n < 3) return 0;
        const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
        *cp = ((b0 & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (b0 < 0xF5) {
        if (n < 4) return 0;
        const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) {
            return 0;
        }
        *cp = ((b0 & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    return 0;
}

constexpr bool IsAsciiAlnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr int HexValue(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes the character reference starting at s[0] == '&' (HTML5 named with
// ';', &#DDD; or &#xHHH;). Returns the bytes consumed, 0 when there is none
// (the '&' is then plain text).
std::size_t DecodeEntity(const unsigned char* s, std::size_t n, std::uint32_t* cp1, std::uint32_t* cp2) {
    *cp2 = 0;
    if (n >= 3 && s[1] == '#') {
        std::size_t i = 2;
        const bool hex = s[i] == 'x' || s[i] == 'X';
        if (hex) ++i;
        const std::size_t digits_begin = i;
        std::uint32_t v = 0;
        for (; i < n; ++i) {
            const int d = hex ? HexValue(s[i]) : (IsDigit(static_cast<char>(s[i])) ? s[i] - '0' : -1);
            if (d < 0) break;
            v = std::min<std::uint32_t>(v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d), 0x110000);
        }
        if (i == digits_begin || i >= n || s[i] != ';') return 0;
        // HTML5's numeric reference rules: C1 controls are read as
        // Windows-1252, invalid values become U+FFFD (a separator).
        if (v >= 0x80 && v <= 0x9F && kHtmlC1Remap[v - 0x80] != 0) {
            v = kHtmlC1Remap[v - 0x80];
        } else if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            v = 0xFFFD;
        }
        *cp1 = v;
        return i + 1;
    }
    std::size_t i = 1;
    while (i < n && i <= kHtmlEntityMaxName && IsAsciiAlnum(s[i])) ++i;
    if (i == 1 || i >= n || s[i] != ';') return 0;
    const std::string_view name(reinterpret_cast<const char*>(s + 1), i - 1);
    const HtmlEntity* begin = kHtmlEntities;
    const HtmlEntity* end = kHtmlEntities + sizeof(kHtmlEntities) / sizeof(kHtmlEntities[0]);
    const HtmlEntity* it = std::lower_bound(
        begin, end, name, [](const HtmlEntity& e, std::string_view key) { return std::string_view(e.name) < key; });
    if (it == end || std::string_view(it->name) != name) return 0;
    *cp1 = it->cp1;
    *cp2 = it->cp2;
    return i + 1;
}

}  // namespace

void ValidateSlugifyArgs(std::string_view separator, std::int64_t max_length) {
    if (separator.empty()) {
        throw Error(ErrorCode::kInvalidParameterValue, "dskv2_slugify: separator must not be empty");
    }
    for (const char c : separator) {
        if (IsAsciiAlnum(static_cast<unsigned char>(c))) {
            throw Error(ErrorCode::kInvalidParameterValue,
                        "dskv2_slugify: separator must not contain ASCII letters or digits",
                        "Use a punctuation separator such as \"-\", \"_\" or \".\".");
        }
    }
    if (max_length < 0) {
        throw Error(ErrorCode::kInvalidParameterValue, "dskv2_slugify: max_length must not be negative",
                    "Use 0 for no limit.");
    }
}

std::string Slugify(std::string_view input, std::string_view separator, std::int64_t max_length) {
    ValidateSlugifyArgs(separator, max_length);
    const std::size_t max_len = max_length == 0 ? SIZE_MAX : static_cast<std::size_t>(max_length);

    std::string out;
    out.reserve(std::min(input.size(), max_len == SIZE_MAX ? input.size() : max_len + 1));
    SlugWriter w(out, separator, max_len);

    const auto* s = reinterpret_cast<const unsigned char*>(input.data());
    const std::size_t n = input.size();
    std::size_t i = 0;
    while (i < n && !w.full()) {
        const unsigned char b = s[i];
        if (b < 0x80) {
            if (b == '&') {
                std::uint32_t cp1 = 0;
                std::uint32_t cp2 = 0;
                const std::size_t used = DecodeEntity(s + i, n - i, &cp1, &cp2);
                if (used != 0) {
                    w.CodePoint(cp1);
                    if (cp2 != 0) w.CodePoint(cp2);
                    i += used;
                    continue;
                }
            }
            w.Ascii(b);
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t len = DecodeUtf8(s + i, n - i, &cp);
        if (len == 0) {
            w.Break();  // invalid byte: a separator
            ++i;
            continue;
        }
        w.CodePoint(cp);
        i += len;
    }

    if (out.size() > max_len) {
        // Longest whole-word prefix: cut at the last separator starting at or
        // before max_len (the separator has no [a-z0-9], so every occurrence
        // is one the writer put between two words).
        const std::size_t cut = out.rfind(separator, max_len);
        out.resize(cut == std::string::npos ? 0 : cut);
    }
    return out;
}

}  // namespace dskv2::core
