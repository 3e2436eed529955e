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

// Texts: the epoch's visiting order with batches of similar length (torchdata's bucket batcher),
// so that a batch's texts cost about the same: the first `fullBatches`·`batch` entries are cut
// into pools of `poolBatches` batches, each pool sorted by length (longest first, ties kept in
// order), cut into batches and its batches shuffled; the rest (the epoch's last batch) stays last.
// The same examples are visited as often as in `order`.
std::vector<int64_t> groupByLength(std::vector<int64_t> order, const std::vector<int64_t>& lengths, int64_t batch,
                                   int64_t fullBatches, int64_t poolBatches, Rng& rng);

} // namespace imblab
