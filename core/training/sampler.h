// The order in which an epoch visits the training examples: a seeded permutation (ERM, RW),
// or draws with replacement with probability ∝ the class weight of each example (RS, CB-RS).
#pragma once

#include "util/rng.h"

#include <cstdint>
#include <vector>

namespace imblab {

// A uniform random permutation of 0..n−1.
std::vector<int64_t> shuffledOrder(int64_t n, Rng& rng);

// n draws with replacement, example i drawn with probability ∝ classWeights[labels[i]]
// (the official WeightedRandomSampler); epoch length unchanged.
std::vector<int64_t> resampledOrder(const std::vector<int64_t>& labels, const std::vector<double>& classWeights,
                                    Rng& rng);

} // namespace imblab
