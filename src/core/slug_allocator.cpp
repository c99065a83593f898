#include "core/slug_allocator.hpp"

namespace dskv2::core {

std::string SlugAllocator::Claim(std::string_view base, std::string_view fallback) {
    const std::string stem(Stem(base, fallback));
    std::string candidate = stem;
    for (unsigned long n = 2; taken_.count(candidate) != 0; ++n) {
        candidate = stem + "-" + std::to_string(n);
    }
    taken_.insert(candidate);
    return candidate;
}

}  // namespace dskv2::core
