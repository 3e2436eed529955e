// The hold-out every own-data source uses when the data has no test split of its own: per class
// a seeded shuffle, then round(n·f) items (at least one where the class has two or more, never
// its last one) go to the test split. Both parts keep their original order.
#pragma once

#include "util/rng.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace imblab {

// Moves class `classIndex`'s held-out share from `items` (its training items) into the result.
template <typename T>
std::vector<T> splitOffTestItems(std::vector<T>& items, double testFraction, uint64_t seed, uint64_t classIndex) {
    const int64_t n = int64_t(items.size());
    const int64_t nTest = n < 2 ? 0 : std::clamp<int64_t>(std::llround(double(n) * testFraction), 1, n - 1);
    std::vector<size_t> order(items.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng(Rng::mix(seed, classIndex));
    rng.shuffle(order);
    std::vector<bool> toTest(items.size(), false);
    for (int64_t i = 0; i < nTest; ++i) toTest[order[size_t(i)]] = true;
    std::vector<T> test, train;
    for (size_t i = 0; i < items.size(); ++i) (toTest[i] ? test : train).push_back(std::move(items[i]));
    items = std::move(train);
    return test;
}

} // namespace imblab
