// SQL surface of the pure text functions: dskv2_slugify, dskv2_detect_sample_type.
// Both are hot (one call per migrated row), so the glue stays thin: no SET
// clause, no SPI, and text is handed to the core as a view of the datum.
#include <optional>
#include <string>
#include <string_view>

#include "core/sample_type.hpp"
#include "core/slugify.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
}

namespace {

using dskv2::pg::Call;
using dskv2::pg::Invoke;

// How many leading bytes of `head` detection ever looks at; only these are detoasted.
constexpr int32 kHeadBytes = 64 * 1024;

bool DatabaseIsUtf8Compatible() { return GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII; }

// The core works on UTF-8. In a database with another encoding the text is
// converted first (may raise: call before any C++ object exists).
const char* ToUtf8(const text* value, int* length) {
    const char* data = VARDATA_ANY(value);
    *length = VARSIZE_ANY_EXHDR(value);
    if (DatabaseIsUtf8Compatible()) return data;
    char* converted = pg_server_to_any(data, *length, PG_UTF8);
    if (converted != data) *length = static_cast<int>(strlen(converted));
    return converted;
}

text* TextFromUtf8Unsafe(const char* data, int length) {
    if (!DatabaseIsUtf8Compatible()) {
        char* converted = pg_any_to_server(data, length, PG_UTF8);
        if (converted != data) length = static_cast<int>(strlen(converted));
        data = converted;
    }
    return cstring_to_text_with_len(data, length);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(dskv2_slugify);
Datum dskv2_slugify(PG_FUNCTION_ARGS) {
    text* input_arg = PG_GETARG_TEXT_PP(0);
    text* separator_arg = PG_GETARG_TEXT_PP(1);
    int32 max_length = PG_GETARG_INT32(2);
    int input_length = 0;
    int separator_length = 0;
    const char* input = ToUtf8(input_arg, &input_length);
    const char* separator = ToUtf8(separator_arg, &separator_length);

    return Invoke(fcinfo, [&]() -> Datum {
        std::string slug = dskv2::core::Slugify(std::string_view(input, input_length),
                                                std::string_view(separator, separator_length), max_length);
        return PointerGetDatum(
            Call(TextFromUtf8Unsafe, static_cast<const char*>(slug.data()), static_cast<int>(slug.size())));
    });
}

PG_FUNCTION_INFO_V1(dskv2_detect_sample_type);
Datum dskv2_detect_sample_type(PG_FUNCTION_ARGS) {
    const char* source = nullptr;
    const char* hint = nullptr;
    const char* head = nullptr;
    int source_length = 0;
    int hint_length = 0;
    int head_length = 0;
    if (!PG_ARGISNULL(0)) source = ToUtf8(PG_GETARG_TEXT_PP(0), &source_length);
    if (!PG_ARGISNULL(1)) hint = ToUtf8(PG_GETARG_TEXT_PP(1), &hint_length);
    if (!PG_ARGISNULL(2)) {
        // Only the first kHeadBytes are fetched from a toasted value.
        bytea* head_arg = PG_GETARG_BYTEA_P_SLICE(2, 0, kHeadBytes);
        head = VARDATA_ANY(head_arg);
        head_length = VARSIZE_ANY_EXHDR(head_arg);
    }

    return Invoke(fcinfo, [&]() -> Datum {
        auto view = [](const char* data, int length) -> std::optional<std::string_view> {
            if (data == nullptr) return std::nullopt;
            return std::string_view(data, static_cast<size_t>(length));
        };
        dskv2::core::SampleType type = dskv2::core::DetectSampleType(view(source, source_length),
                                                                     view(hint, hint_length), view(head, head_length));
        std::string_view name = dskv2::core::SampleTypeName(type);
        return PointerGetDatum(
            Call(cstring_to_text_with_len, static_cast<const char*>(name.data()), static_cast<int>(name.size())));
    });
}

}  // extern "C"
