// libFuzzer harness of dskv2::core::ParseClaims and the other trigger helpers
// (docs/triggers.md, "Audit trail"): arbitrary bytes as the request.jwt.claims setting must never crash
// or raise, and what is decoded must survive a round trip.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//       fuzz/claims_fuzz.cpp src/core/audit.cpp -o /tmp/claims_fuzz
//   /tmp/claims_fuzz -max_total_time=60
#include "core/audit.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void Check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const dskv2::core::Claims claims = dskv2::core::ParseClaims(input);
    (void)dskv2::core::IsUuid(input);
    (void)dskv2::core::IsSecretColumn(input);
    Check(claims.has_sub || claims.sub.empty());
    Check(claims.has_role || claims.role.empty());
    if (claims.has_role || claims.has_sub) {
        // Re-encoding what was decoded gives the same members back.
        std::string json = "{";
        if (claims.has_sub) {
            json += "\"sub\":";
            dskv2::core::AppendJsonString(json, claims.sub);
        }
        if (claims.has_role) {
            if (claims.has_sub) json += ',';
            json += "\"role\":";
            dskv2::core::AppendJsonString(json, claims.role);
        }
        json += '}';
        const dskv2::core::Claims again = dskv2::core::ParseClaims(json);
        Check(again.has_sub == claims.has_sub && again.sub == claims.sub);
        Check(again.has_role == claims.has_role && again.role == claims.role);
    }
    // A record id of two keys is a JSON array a strict reader accepts (text
    // values never hold NUL, which JSON text in PostgreSQL cannot carry).
    if (input.find('\0') == std::string_view::npos) {
        const std::string id = dskv2::core::RecordId({std::string(input), "k"});
        Check(dskv2::core::ParseClaims("{\"role\":\"r\",\"a\":" + id + "}").has_role);
    }
    return 0;
}
