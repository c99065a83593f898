#include "core/audit.hpp"

#include <cstddef>
#include <cstdint>

namespace dskv2::core {

namespace {

constexpr int kMaxDepth = 64;

// A strict recursive-descent reader; it only keeps what ParseClaims needs.
class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}

    bool Document(Claims& claims) {
        SkipSpace();
        if (Peek() != '{') {
            return Value(0, nullptr) && AtEnd();
        }
        return Object(0, &claims) && AtEnd();
    }

private:
    bool AtEnd() {
        SkipSpace();
        return i_ == s_.size();
    }
    char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void SkipSpace() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool Literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    // claims is non-null for the top-level object only.
    bool Object(int depth, Claims* claims) {
        if (depth >= kMaxDepth) return false;
        ++i_;  // '{'
        SkipSpace();
        if (Peek() == '}') {
            ++i_;
            return true;
        }
        for (;;) {
            SkipSpace();
            std::string key;
            if (Peek() != '"' || !String(&key)) return false;
            SkipSpace();
            if (Peek() != ':') return false;
            ++i_;
            SkipSpace();
            if (claims != nullptr && (key == "sub" || key == "role") && Peek() == '"') {
                std::string value;
                if (!String(&value)) return false;
                if (key == "sub") {
                    claims->has_sub = true;
                    claims->sub = std::move(value);
                } else {
                    claims->has_role = true;
                    claims->role = std::move(value);
                }
            } else {
                if (claims != nullptr && key == "sub") {
                    claims->has_sub = false;
                    claims->sub.clear();
                }
                if (claims != nullptr && key == "role") {
                    claims->has_role = false;
                    claims->role.clear();
                }
                if (!Value(depth + 1, nullptr)) return false;
            }
            SkipSpace();
            if (Peek() == ',') {
                ++i_;
                continue;
            }
            if (Peek() == '}') {
                ++i_;
                return true;
            }
            return false;
        }
    }

    bool Array(int depth) {
        if (depth >= kMaxDepth) return false;
        ++i_;  // '['
        SkipSpace();
        if (Peek() == ']') {
            ++i_;
            return true;
        }
        for (;;) {
            SkipSpace();
            if (!Value(depth + 1, nullptr)) return false;
            SkipSpace();
            if (Peek() == ',') {
                ++i_;
                continue;
            }
            if (Peek() == ']') {
                ++i_;
                return true;
            }
            return false;
        }
    }

    bool Value(int depth, std::string* out) {
        SkipSpace();
        switch (Peek()) {
            case '{':
                return Object(depth, nullptr);
            case '[':
                return Array(depth);
            case '"':
                return String(out);
            case 't':
                return Literal("true");
            case 'f':
                return Literal("false");
            case 'n':
                return Literal("null");
            default:
                return Number();
        }
    }

    bool Digits() {
        const std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > start;
    }

    bool Number() {
        if (Peek() == '-') ++i_;
        if (Peek() == '0') {
            ++i_;
        } else if (!Digits()) {
            return false;
        }
        if (Peek() == '.') {
            ++i_;
            if (!Digits()) return false;
        }
        if (Peek() == 'e' || Peek() == 'E') {
            ++i_;
            if (Peek() == '+' || Peek() == '-') ++i_;
            if (!Digits()) return false;
        }
        return true;
    }

    static int Hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    bool Hex4(std::uint32_t& v) {
        if (i_ + 4 > s_.size()) return false;
        v = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = Hex(s_[i_ + k]);
            if (h < 0) return false;
            v = v * 16 + static_cast<std::uint32_t>(h);
        }
        i_ += 4;
        return true;
    }

    static void AppendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // A string literal; decoded into *out when out is non-null. Raw bytes are
    // taken as they are (the server has checked the encoding of the setting).
    bool String(std::string* out) {
        ++i_;  // '"'
        while (i_ < s_.size()) {
            const char c = s_[i_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                if (out != nullptr) *out += c;
                continue;
            }
            if (i_ >= s_.size()) return false;
            const char e = s_[i_++];
            char plain = 0;
            switch (e) {
                case '"':
                    plain = '"';
                    break;
                case '\\':
                    plain = '\\';
                    break;
                case '/':
                    plain = '/';
                    break;
                case 'b':
                    plain = '\b';
                    break;
                case 'f':
                    plain = '\f';
                    break;
                case 'n':
                    plain = '\n';
                    break;
                case 'r':
                    plain = '\r';
                    break;
                case 't':
                    plain = '\t';
                    break;
                case 'u': {
                    std::uint32_t cp = 0;
                    if (!Hex4(cp)) return false;
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        std::uint32_t low = 0;
                        if (!Literal("\\u") || !Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        return false;
                    }
                    if (cp == 0) return false;  // PostgreSQL text cannot hold NUL
                    if (out != nullptr) AppendUtf8(*out, cp);
                    continue;
                }
                default:
                    return false;
            }
            if (out != nullptr) *out += plain;
        }
        return false;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Claims ParseClaims(std::string_view json) noexcept {
    Claims claims;
    try {
        Reader reader(json);
        if (!reader.Document(claims)) return Claims{};
    } catch (...) {  // std::bad_alloc: no claims rather than an error
        return Claims{};
    }
    return claims;
}

bool IsUuid(std::string_view text) noexcept {
    if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
        text = text.substr(1, text.size() - 2);
    }
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    if (text.size() == 32) {
        for (char c : text) {
            if (!hex(c)) return false;
        }
        return true;
    }
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !hex(text[i])) return false;
    }
    return true;
}

bool IsSecretColumn(std::string_view name) noexcept {
    std::string lower;
    try {
        lower.reserve(name.size());
        for (char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } catch (...) {
        return true;  // cannot tell: redact
    }
    static constexpr std::string_view kParts[] = {"password", "passwd",     "secret",      "api_key",
                                                  "apikey",   "access_key", "private_key", "credential"};
    for (std::string_view part : kParts) {
        if (lower.find(part) != std::string::npos) return true;
    }
    // These only count as whole words: "refresh_token", "salt" and "user_otp"
    // are secrets, "input_tokens" (a count), "pinned" and "hotpot" are not.
    static constexpr std::string_view kWords[] = {"token", "salt", "otp", "pin"};
    for (std::string_view word : kWords) {
        for (std::size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
            const bool starts = at == 0 || !IsWordChar(lower[at - 1]);
            const std::size_t end = at + word.size();
            const bool ends = end == lower.size() || !IsWordChar(lower[end]);
            if (starts && ends) return true;
        }
    }
    return false;
}

void AppendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

std::string RecordId(const std::vector<std::string>& key_texts) {
    if (key_texts.size() == 1) return key_texts.front();
    std::string out = "[";
    for (std::size_t i = 0; i < key_texts.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(out, key_texts[i]);
    }
    out += ']';
    return out;
}

}  // namespace dskv2::core
