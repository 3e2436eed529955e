// Cross-entropy on affinely adjusted logits CE(a ⊙ z + b, y; w), which covers plain CE (a=1,
// b=0), logit-adjusted CE (b_j = τ·log π_j; Menon et al. 2021), Balanced Softmax (b_j = log n_j;
// Ren et al. 2020) and the VS loss (a_j = (n_j/n_max)^γ, b_j = τ·log π_j; Kini et al. 2021).
// The adjustment is used at train time only; predictions use plain z.
#pragma once

#include "losses/loss.h"

#include <cstdint>
#include <vector>

namespace imblab {

class AdjustedCrossEntropyLoss : public Loss {
public:
    AdjustedCrossEntropyLoss(std::vector<double> scale, std::vector<double> offset);
    torch::Tensor operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const override;

    static AdjustedCrossEntropyLoss plain(int classes);
    static AdjustedCrossEntropyLoss logitAdjusted(const std::vector<int64_t>& counts, double tau);
    static AdjustedCrossEntropyLoss balancedSoftmax(const std::vector<int64_t>& counts);
    static AdjustedCrossEntropyLoss vectorScaling(const std::vector<int64_t>& counts, double gamma, double tau);

private:
    ClassConstant scale_, offset_;
    bool identity_ = true;
};

// log π_j = log(n_j / Σ n).
std::vector<double> logPriors(const std::vector<int64_t>& counts);

} // namespace imblab
