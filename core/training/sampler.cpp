// Sampling by class: pick a class with probability ∝ n_j·w_j, then an example of it uniformly,
// which equals per-example sampling ∝ w_{y_i} at O(k) per draw.
#include "training/sampler.h"

#include <algorithm>
#include <numeric>

namespace imblab {

std::vector<int64_t> shuffledOrder(int64_t n, Rng& rng) {
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t(0));
    rng.shuffle(order);
    return order;
}

std::vector<int64_t> resampledOrder(const std::vector<int64_t>& labels, const std::vector<double>& classWeights,
                                    Rng& rng) {
    const size_t k = classWeights.size();
    std::vector<std::vector<int64_t>> members(k);
    for (size_t i = 0; i < labels.size(); ++i) members[size_t(labels[i])].push_back(int64_t(i));
    std::vector<double> cumulative(k);
    double total = 0;
    for (size_t c = 0; c < k; ++c) {
        total += double(members[c].size()) * classWeights[c];
        cumulative[c] = total;
    }
    std::vector<int64_t> order;
    order.reserve(labels.size());
    for (size_t i = 0; i < labels.size(); ++i) {
        const double u = rng.uniform() * total;
        // The first class whose cumulative weight exceeds u (an empty class adds nothing, so it is
        // never the one): O(log k) a draw, for thousands of classes.
        const size_t c = std::min(k - 1, size_t(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin()));
        order.push_back(members[c][rng.below(members[c].size())]);
    }
    return order;
}

std::vector<int64_t> groupByLength(std::vector<int64_t> order, const std::vector<int64_t>& lengths, int64_t batch,
                                   int64_t fullBatches, int64_t poolBatches, Rng& rng) {
    const int64_t grouped = std::min<int64_t>(int64_t(order.size()) / batch, fullBatches);
    for (int64_t first = 0; first < grouped; first += poolBatches) {
        const int64_t batches = std::min(poolBatches, grouped - first);
        const auto begin = order.begin() + first * batch, end = begin + batches * batch;
        std::stable_sort(begin, end, [&](int64_t a, int64_t b) { return lengths[size_t(a)] > lengths[size_t(b)]; });
        std::vector<int64_t> which(static_cast<size_t>(batches));
        std::iota(which.begin(), which.end(), int64_t(0));
        rng.shuffle(which);
        const std::vector<int64_t> sorted(begin, end);
        for (int64_t b = 0; b < batches; ++b)
            std::copy_n(sorted.begin() + which[size_t(b)] * batch, batch, begin + b * batch);
    }
    return order;
}

} // namespace imblab
