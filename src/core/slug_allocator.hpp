// The one slug allocator (docs/mapping.md, "Slugs"): collisions get -2, -3, ... in processing
// order, the first free suffix; a suffixed slug can itself collide with a
// natural one ("pack-2" taken -> the next "Pack 2" gets "pack-2-2"). It gives
// the same answer whether rows arrive all at once, in batches, or one by one,
// as long as it is loaded with every slug already assigned.
#pragma once

#include "core/pg_free.hpp"

#include <string>
#include <string_view>
#include <unordered_set>

namespace dskv2::core {

class SlugAllocator {
public:
    // A slug already assigned (loaded from the V2 table).
    void MarkTaken(std::string_view slug) { taken_.emplace(slug); }

    // The slug for the next row: base, else base-2, base-3, ...; an empty base
    // uses fallback. The returned slug is taken from now on.
    std::string Claim(std::string_view base, std::string_view fallback);

    // Lazy loading (batched runs): the slugs a stem can collide with are
    // loaded once per stem, so memory follows the batch, not the table.
    bool StemLoaded(std::string_view stem) const { return loaded_stems_.count(std::string(stem)) != 0; }
    void MarkStemLoaded(std::string_view stem) { loaded_stems_.emplace(stem); }

    // The stem Claim() starts from: base, or fallback when base is empty.
    static std::string_view Stem(std::string_view base, std::string_view fallback) {
        return base.empty() ? fallback : base;
    }

    std::size_t size() const { return taken_.size(); }
    void Clear() {
        taken_.clear();
        loaded_stems_.clear();
    }

private:
    std::unordered_set<std::string> taken_;
    std::unordered_set<std::string> loaded_stems_;
};

}  // namespace dskv2::core
