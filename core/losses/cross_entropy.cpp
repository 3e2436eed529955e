// The cross-entropy family with logit adjustments.
#include "losses/cross_entropy.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imblab {

const torch::Tensor& ClassConstant::like(const torch::Tensor& z) const {
    if (!cached_.defined() || cached_.device() != z.device() || cached_.scalar_type() != z.scalar_type())
        cached_ = torch::tensor(values_, torch::TensorOptions().dtype(torch::kFloat64)).to(z.device(), z.scalar_type());
    return cached_;
}

double Loss::batchDenominator(const torch::Tensor& y, const torch::Tensor& w) const {
    if (!w.defined()) return double(y.size(0));
    return w.to(torch::kFloat64).index_select(0, y.to(w.device())).sum().item<double>();
}

torch::Tensor perExampleCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w) {
    auto nll = -torch::log_softmax(logits, 1).gather(1, y.unsqueeze(1)).squeeze(1);
    if (w.defined()) nll = nll * w.to(logits.dtype()).index_select(0, y);
    return nll;
}

torch::Tensor weightedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& w) {
    auto nll = -torch::log_softmax(logits, 1).gather(1, y.unsqueeze(1)).squeeze(1);
    if (!w.defined()) return nll.mean();
    const auto wy = w.to(logits.dtype()).index_select(0, y);
    return (nll * wy).sum() / wy.sum();
}

std::vector<double> logPriors(const std::vector<int64_t>& counts) {
    const double total = double(std::accumulate(counts.begin(), counts.end(), int64_t(0)));
    std::vector<double> out;
    for (int64_t n : counts) out.push_back(std::log(double(n) / total));
    return out;
}

AdjustedCrossEntropyLoss::AdjustedCrossEntropyLoss(std::vector<double> scale, std::vector<double> offset)
    : scale_(std::move(scale)), offset_(std::move(offset)) {
    identity_ = std::all_of(scale_.values().begin(), scale_.values().end(), [](double a) { return a == 1.0; }) &&
                std::all_of(offset_.values().begin(), offset_.values().end(), [](double b) { return b == 0.0; });
}

AdjustedCrossEntropyLoss AdjustedCrossEntropyLoss::plain(int classes) {
    return {std::vector<double>(size_t(classes), 1.0), std::vector<double>(size_t(classes), 0.0)};
}

AdjustedCrossEntropyLoss AdjustedCrossEntropyLoss::logitAdjusted(const std::vector<int64_t>& counts, double tau) {
    auto b = logPriors(counts);
    for (double& v : b) v *= tau;
    return {std::vector<double>(counts.size(), 1.0), b};
}

AdjustedCrossEntropyLoss AdjustedCrossEntropyLoss::balancedSoftmax(const std::vector<int64_t>& counts) {
    std::vector<double> b;
    for (int64_t n : counts) b.push_back(std::log(double(n)));
    return {std::vector<double>(counts.size(), 1.0), b};
}

AdjustedCrossEntropyLoss AdjustedCrossEntropyLoss::vectorScaling(const std::vector<int64_t>& counts, double gamma,
                                                                 double tau) {
    const double nMax = double(*std::max_element(counts.begin(), counts.end()));
    std::vector<double> a;
    for (int64_t n : counts) a.push_back(std::pow(double(n) / nMax, gamma));
    auto b = logPriors(counts);
    for (double& v : b) v *= tau;
    return {a, b};
}

torch::Tensor AdjustedCrossEntropyLoss::operator()(const torch::Tensor& z, const torch::Tensor& y,
                                                   const torch::Tensor& w) const {
    if (identity_) return weightedCrossEntropy(z, y, w);
    return weightedCrossEntropy(z * scale_.like(z) + offset_.like(z), y, w);
}

} // namespace imblab
