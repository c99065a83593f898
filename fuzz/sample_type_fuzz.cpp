// libFuzzer harness for DetectSampleType: arbitrary bytes (invalid UTF-8,
// NULs, huge lengths) must always give one of the 12 types, never crash,
// read out of bounds or throw.
//
// Input layout: byte 0 = presence flags (bit 0 source, bit 1 hint, bit 2 head),
// bytes 1-2 and 3-4 = split points; the rest is cut into source, hint, head.
#include "core/sample_type.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace {

using dskv2::core::DetectSampleType;
using dskv2::core::SampleType;
using dskv2::core::SampleTypeName;

void Check(SampleType t) {
    switch (t) {
        case SampleType::kPdf:
        case SampleType::kVideo:
        case SampleType::kAudio:
        case SampleType::kImage:
        case SampleType::kDocument:
        case SampleType::kSpreadsheet:
        case SampleType::kPresentation:
        case SampleType::kArchive:
        case SampleType::kEbook:
        case SampleType::kText:
        case SampleType::kLink:
        case SampleType::kUnknown:
            break;
        default:
            __builtin_trap();
    }
    if (SampleTypeName(t).empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 5) {
        const std::string_view all(reinterpret_cast<const char*>(data), size);
        Check(DetectSampleType(all, all, all));
        return 0;
    }
    const unsigned flags = data[0];
    const std::size_t a = data[1] | (std::size_t{data[2]} << 8);
    const std::size_t b = data[3] | (std::size_t{data[4]} << 8);
    const std::string_view rest(reinterpret_cast<const char*>(data + 5), size - 5);
    const std::size_t cut1 = rest.empty() ? 0 : a % (rest.size() + 1);
    const std::size_t cut2 = cut1 + (rest.size() - cut1 == 0 ? 0 : b % (rest.size() - cut1 + 1));

    std::optional<std::string_view> source;
    std::optional<std::string_view> hint;
    std::optional<std::string_view> head;
    if (flags & 1u) source = rest.substr(0, cut1);
    if (flags & 2u) hint = rest.substr(cut1, cut2 - cut1);
    if (flags & 4u) head = rest.substr(cut2);

    Check(DetectSampleType(source, hint, head));
    Check(DetectSampleType(std::nullopt, std::nullopt, rest));  // head only
    Check(DetectSampleType(rest, std::nullopt, std::nullopt));  // source only
    Check(DetectSampleType(std::nullopt, rest, std::nullopt));  // hint only
    return 0;
}
