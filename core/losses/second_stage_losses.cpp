// The second stages' own losses; see second_stage_losses.h.
#include "losses/second_stage_losses.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace imblab {

std::vector<double> labelAwareEpsilons(const std::vector<int64_t>& counts, double epsHead, double epsTail) {
    if (counts.empty()) return {};
    const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
    const double nK = double(*lo), n1 = double(*hi);
    std::vector<double> eps;
    for (int64_t n : counts)
        eps.push_back(n1 == nK ? epsHead : epsTail + (epsHead - epsTail) * std::sin((double(n) - nK) * M_PI / (2 * (n1 - nK))));
    return eps;
}

torch::Tensor labelAwareSmoothingLoss(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& eps) {
    const auto logp = torch::log_softmax(logits, 1);
    const auto nll = -logp.gather(1, y.unsqueeze(1)).squeeze(1);
    const auto smooth = -logp.mean(1);
    const auto e = eps.to(logits.options()).index_select(0, y);
    return ((1 - e) * nll + e * smooth).mean();
}

torch::Tensor classBalancedSoftmaxBce(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& weights) {
    const auto p = torch::softmax(logits, 1);
    const auto target = torch::one_hot(y, logits.size(1)).to(logits.options());
    const auto w = weights.to(logits.options()).index_select(0, y).unsqueeze(1).expand_as(p);
    return torch::binary_cross_entropy(p, target, w);
}

} // namespace imblab
