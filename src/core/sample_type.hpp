// dskv2_detect_sample_type (docs/mapping.md, "Sample types"): what a buyer will open. Never throws
// (except std::bad_alloc).
#pragma once

#include "core/pg_free.hpp"

#include <optional>
#include <string_view>

namespace dskv2::core {

enum class SampleType {
    kPdf,
    kVideo,
    kAudio,
    kImage,
    kDocument,
    kSpreadsheet,
    kPresentation,
    kArchive,
    kEbook,
    kText,
    kLink,
    kUnknown,
};

// The SQL-visible name: "pdf", "video", ..., "unknown".
std::string_view SampleTypeName(SampleType type) noexcept;

// source: URL (with or without scheme), data: URL or file name; hint: MIME type
// or loose format word; head: first bytes of the file. Any may be absent.
SampleType DetectSampleType(std::optional<std::string_view> source, std::optional<std::string_view> hint,
                            std::optional<std::string_view> head);

}  // namespace dskv2::core
