// Sampling by class: pick a class with probability ∝ n_j·w_j, then an example of it uniformly,
// which equals per-example sampling ∝ w_{y_i} at O(k) per draw.
#include "training/sampler.h"

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
        size_t c = 0;
        while (c + 1 < k && (u >= cumulative[c] || members[c].empty())) ++c;
        order.push_back(members[c][rng.below(members[c].size())]);
    }
    return order;
}

} // namespace imblab
