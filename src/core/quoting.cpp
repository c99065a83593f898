#include "core/quoting.hpp"

namespace dskv2::core {
namespace {

LiteralQuoter installed = nullptr;

}  // namespace

void SetLiteralQuoter(LiteralQuoter quoter) noexcept { installed = quoter; }

std::string QuoteLiteral(std::string_view text) {
    return installed != nullptr ? installed(text) : FallbackQuoteLiteral(text);
}

std::string QuoteIdent(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string FallbackQuoteLiteral(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 3);
    if (text.find('\\') != std::string_view::npos) out.push_back('E');
    out.push_back('\'');
    for (char c : text) {
        if (c == '\'' || c == '\\') out.push_back(c);
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

}  // namespace dskv2::core
