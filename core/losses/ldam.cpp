// LDAM and its hinge variant; margins subtracted from the true-class logit only.
#include "losses/ldam.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace imblab {

std::vector<double> ldamMargins(const std::vector<int64_t>& counts, double maxMargin) {
    std::vector<double> m;
    for (int64_t n : counts) m.push_back(1.0 / std::sqrt(std::sqrt(double(n))));
    const double largest = *std::max_element(m.begin(), m.end());
    for (double& v : m) v *= maxMargin / largest;
    return m;
}

LdamLoss::LdamLoss(std::vector<double> margins, double scale) : margins_(std::move(margins)), scale_(scale) {}

torch::Tensor LdamLoss::operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const {
    const auto onehot = torch::zeros_like(z).scatter_(1, y.unsqueeze(1), 1.0);
    const auto shifted = z - onehot * margins_.like(z).index_select(0, y).unsqueeze(1);
    return weightedCrossEntropy(shifted * scale_, y, w);
}

LdamHingeLoss::LdamHingeLoss(std::vector<double> margins) : margins_(std::move(margins)) {}

torch::Tensor LdamHingeLoss::operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const {
    const auto zy = z.gather(1, y.unsqueeze(1)).squeeze(1);
    const auto others = z.scatter(1, y.unsqueeze(1), -std::numeric_limits<double>::infinity());
    const auto hinge = torch::clamp_min(std::get<0>(others.max(1)) - zy + margins_.like(z).index_select(0, y), 0.0);
    if (!w.defined()) return hinge.mean();
    const auto wy = w.to(z.dtype()).index_select(0, y);
    return (hinge * wy).sum() / wy.sum();
}

} // namespace imblab
