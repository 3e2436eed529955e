// Plain-number front of the loss factory (double precision).
#include "losses/loss_values.h"

#include "losses/loss_factory.h"

#include <torch/torch.h>

namespace imblab {

double evaluateLoss(const LossConfig& cfg, const std::vector<int64_t>& classCounts,
                    const std::vector<std::vector<double>>& logits, const std::vector<int64_t>& labels,
                    const std::vector<double>& weights) {
    const auto loss = makeLoss(cfg, classCounts);
    std::vector<double> flat;
    for (const auto& row : logits) flat.insert(flat.end(), row.begin(), row.end());
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const auto z = torch::tensor(flat, f64).view({int64_t(logits.size()), int64_t(classCounts.size())});
    const auto y = torch::tensor(std::vector<int64_t>(labels), torch::TensorOptions().dtype(torch::kInt64));
    const auto w = weights.empty() ? torch::Tensor() : torch::tensor(weights, f64);
    return (*loss)(z, y, w).item<double>();
}

std::vector<double> lossMargins(const LossConfig& cfg, const std::vector<int64_t>& classCounts) {
    return makeLoss(cfg, classCounts)->margins();
}

} // namespace imblab
