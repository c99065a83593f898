// Unit tests of dskv2::core::SlugAllocator (docs/mapping.md, "Slugs"): collisions get
// -2, -3, ... in processing order, the first free suffix; a suffixed slug can
// itself collide with a natural one ("pack-2" taken -> the next "Pack 2" gets
// "pack-2-2"); a slug once assigned never changes, and the result does not
// depend on how the rows are split into batches or runs.
#include "core/slug_allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace dskv2::core {
namespace {

std::vector<std::string> ClaimAll(SlugAllocator& allocator, const std::vector<std::string>& bases, std::size_t begin,
                                  std::size_t end, const std::string& fallback) {
    std::vector<std::string> out;
    for (std::size_t i = begin; i < end; ++i) out.push_back(allocator.Claim(bases[i], fallback));
    return out;
}

// 2,000 bases drawn (deterministically) from a small vocabulary, so that
// natural slugs collide with each other and with other rows' suffixed slugs.
std::vector<std::string> GeneratedBases() {
    static const char* const kVocabulary[] = {"pack",  "pack-2", "pack-3", "pack-2-2", "pack-10", "",        "x",
                                              "x-2",   "x-2-2",  "idea",   "idea-1",   "idea-2",  "a",       "a-b",
                                              "a-b-2", "b",      "pack-1", "pack-20",  "p",       "pack-2-3"};
    constexpr std::size_t kCount = sizeof(kVocabulary) / sizeof(kVocabulary[0]);
    std::vector<std::string> bases;
    std::uint32_t state = 12345;
    for (int i = 0; i < 2000; ++i) {
        state = state * 1664525u + 1013904223u;  // LCG
        bases.emplace_back(kVocabulary[(state >> 16) % kCount]);
    }
    return bases;
}

TEST(SlugAllocatorTest, FreeBaseIsUsedAsIs) {
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("my-pack", "pack"), "my-pack");
    EXPECT_EQ(allocator.Claim("other", "pack"), "other");
    EXPECT_EQ(allocator.size(), 2u);
}

TEST(SlugAllocatorTest, CollisionsGetSuffixesInOrder) {
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-2");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-3");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-4");
    EXPECT_EQ(allocator.Claim("other", "pack"), "other");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-5");
}

TEST(SlugAllocatorTest, SuffixesPastNineAreDecimal) {
    SlugAllocator allocator;
    std::vector<std::string> got;
    for (int i = 0; i < 12; ++i) got.push_back(allocator.Claim("a", "x"));
    EXPECT_EQ(got.front(), "a");
    for (int i = 1; i < 12; ++i) EXPECT_EQ(got[i], "a-" + std::to_string(i + 1));
}

TEST(SlugAllocatorTest, SuffixedSlugCollidesWithNaturalOne) {
    // docs/mapping.md: "pack-2" taken -> the next "Pack 2" gets "pack-2-2".
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-2");
    EXPECT_EQ(allocator.Claim("pack-2", "pack"), "pack-2-2");
    EXPECT_EQ(allocator.Claim("pack-2", "pack"), "pack-2-3");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-3");
}

TEST(SlugAllocatorTest, NaturalSlugTakenFirstPushesSuffixOn) {
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("pack-2", "pack"), "pack-2");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-3");  // the first free suffix
}

TEST(SlugAllocatorTest, EmptyBaseUsesFallback) {
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("", "pack"), "pack");
    EXPECT_EQ(allocator.Claim("", "pack"), "pack-2");
    EXPECT_EQ(allocator.Claim("pack", "pack"), "pack-3");  // shares the fallback's namespace
    EXPECT_EQ(allocator.Claim("", "category"), "category");
    EXPECT_EQ(allocator.Claim("", "category"), "category-2");
}

TEST(SlugAllocatorTest, EmptyBaseAfterNaturalFallbackSlug) {
    SlugAllocator allocator;
    EXPECT_EQ(allocator.Claim("idea", "idea"), "idea");
    EXPECT_EQ(allocator.Claim("", "idea"), "idea-2");
}

TEST(SlugAllocatorTest, PreloadedSlugsAreRespected) {
    SlugAllocator allocator;
    allocator.MarkTaken("x");
    EXPECT_EQ(allocator.size(), 1u);
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-2");
    EXPECT_EQ(allocator.Claim("y", "pack"), "y");
}

TEST(SlugAllocatorTest, PreloadedSuffixedSlugIsSkipped) {
    SlugAllocator allocator;
    allocator.MarkTaken("x-2");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-3");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-4");
}

TEST(SlugAllocatorTest, PreloadedGapIsFilledFirst) {
    // The first free suffix, not one past the highest.
    SlugAllocator allocator;
    allocator.MarkTaken("x");
    allocator.MarkTaken("x-3");
    allocator.MarkTaken("x-4");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-2");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-5");
}

TEST(SlugAllocatorTest, MarkTakenTwiceCountsOnce) {
    SlugAllocator allocator;
    allocator.MarkTaken("x");
    allocator.MarkTaken("x");
    EXPECT_EQ(allocator.size(), 1u);
}

TEST(SlugAllocatorTest, ClearForgetsEverything) {
    SlugAllocator allocator;
    allocator.MarkTaken("x-2");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-3");
    EXPECT_EQ(allocator.size(), 3u);
    allocator.Clear();
    EXPECT_EQ(allocator.size(), 0u);
    EXPECT_EQ(allocator.Claim("x", "pack"), "x");
    EXPECT_EQ(allocator.Claim("x", "pack"), "x-2");
    EXPECT_EQ(allocator.size(), 2u);
}

TEST(SlugAllocatorTest, ClaimedSlugsAreUniqueAndFirstFree) {
    // Each answer is the stem or stem-N, where the stem and stem-2 .. stem-(N-1)
    // were all taken before it: the first free suffix.
    const std::vector<std::string> bases = GeneratedBases();
    SlugAllocator allocator;
    std::set<std::string> taken;
    for (const std::string& base : bases) {
        const std::string stem = base.empty() ? "pack" : base;
        const std::string got = allocator.Claim(base, "pack");
        ASSERT_TRUE(taken.insert(got).second) << "duplicate slug " << got;
        if (got == stem) continue;
        ASSERT_EQ(got.compare(0, stem.size() + 1, stem + "-"), 0) << got << " for " << stem;
        const std::string digits = got.substr(stem.size() + 1);
        ASSERT_FALSE(digits.empty());
        ASSERT_EQ(digits.find_first_not_of("0123456789"), std::string::npos) << got;
        const unsigned long n = std::stoul(digits);
        ASSERT_GE(n, 2u);
        ASSERT_TRUE(taken.count(stem)) << got;
        for (unsigned long k = 2; k < n; ++k) {
            ASSERT_TRUE(taken.count(stem + "-" + std::to_string(k))) << got << " skipped " << k;
        }
    }
    EXPECT_EQ(allocator.size(), bases.size());
}

TEST(SlugAllocatorTest, BatchingDoesNotChangeTheResult) {
    // docs/mapping.md: an atomic run and a batched run give identical results, as long
    // as each batch's allocator is loaded with every slug already assigned.
    const std::vector<std::string> bases = GeneratedBases();
    ASSERT_EQ(bases.size(), 2000u);

    SlugAllocator all_at_once;
    const std::vector<std::string> expected = ClaimAll(all_at_once, bases, 0, bases.size(), "pack");

    // Enough collisions to make the test meaningful.
    std::size_t suffixed = 0;
    for (std::size_t i = 0; i < bases.size(); ++i) {
        if (expected[i] != (bases[i].empty() ? std::string("pack") : bases[i])) ++suffixed;
    }
    EXPECT_GT(suffixed, 1500u);

    for (std::size_t split :
         {std::size_t{1}, std::size_t{7}, std::size_t{500}, std::size_t{1000}, std::size_t{1333}, std::size_t{1999}}) {
        SCOPED_TRACE("split at " + std::to_string(split));
        SlugAllocator first;
        std::vector<std::string> got = ClaimAll(first, bases, 0, split, "pack");
        SlugAllocator second;  // a later batch: a fresh allocator, loaded from V2
        for (const std::string& s : got) second.MarkTaken(s);
        const std::vector<std::string> rest = ClaimAll(second, bases, split, bases.size(), "pack");
        got.insert(got.end(), rest.begin(), rest.end());
        EXPECT_EQ(got, expected);
    }
}

TEST(SlugAllocatorTest, ManySmallBatchesMatchOneRun) {
    const std::vector<std::string> bases = GeneratedBases();
    SlugAllocator all_at_once;
    const std::vector<std::string> expected = ClaimAll(all_at_once, bases, 0, bases.size(), "pack");

    for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
        SCOPED_TRACE("batch size " + std::to_string(batch));
        std::vector<std::string> got;
        for (std::size_t begin = 0; begin < bases.size(); begin += batch) {
            SlugAllocator allocator;
            for (const std::string& s : got) allocator.MarkTaken(s);
            const std::size_t end = std::min(bases.size(), begin + batch);
            const std::vector<std::string> part = ClaimAll(allocator, bases, begin, end, "pack");
            got.insert(got.end(), part.begin(), part.end());
        }
        EXPECT_EQ(got, expected);
    }
}

TEST(SlugAllocatorTest, MarkTakenInAnyOrderGivesTheSameResult) {
    // Preloading is a set: the order the glue reads V2's slugs in is irrelevant.
    const std::vector<std::string> bases = GeneratedBases();
    SlugAllocator first;
    const std::vector<std::string> head = ClaimAll(first, bases, 0, 1000, "pack");

    SlugAllocator forward;
    SlugAllocator backward;
    for (const std::string& s : head) forward.MarkTaken(s);
    for (auto it = head.rbegin(); it != head.rend(); ++it) backward.MarkTaken(*it);
    EXPECT_EQ(ClaimAll(forward, bases, 1000, bases.size(), "pack"),
              ClaimAll(backward, bases, 1000, bases.size(), "pack"));
}

}  // namespace
}  // namespace dskv2::core

// Lazy loading (batched runs load the assigned slugs per stem): the stem is
// the base, or the fallback for an empty base; loaded stems are remembered
// until Clear().
TEST(SlugAllocatorTest, StemIsBaseOrFallback) {
    EXPECT_EQ(dskv2::core::SlugAllocator::Stem("pack-2", "pack"), "pack-2");
    EXPECT_EQ(dskv2::core::SlugAllocator::Stem("", "pack"), "pack");
}

TEST(SlugAllocatorTest, LoadedStemsAreRememberedUntilClear) {
    dskv2::core::SlugAllocator a;
    EXPECT_FALSE(a.StemLoaded("seo"));
    a.MarkStemLoaded("seo");
    a.MarkTaken("seo");
    a.MarkTaken("seo-2");
    EXPECT_TRUE(a.StemLoaded("seo"));
    EXPECT_FALSE(a.StemLoaded("se"));
    EXPECT_EQ(a.Claim("seo", "tag"), "seo-3");
    a.Clear();
    EXPECT_FALSE(a.StemLoaded("seo"));
    EXPECT_EQ(a.Claim("seo", "tag"), "seo");
}
