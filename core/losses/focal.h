// Focal loss as in the official code: ℓ_i = w_{y_i}·CE_i, loss = mean((1 − e^(−ℓ_i))^γ · ℓ_i).
#pragma once

#include "losses/loss.h"

namespace imblab {

class FocalLoss : public Loss {
public:
    explicit FocalLoss(double gamma) : gamma_(gamma) {}
    torch::Tensor operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const override;
    // The plain mean over the batch, weighted or not (the official code's focal_loss().mean()).
    double batchDenominator(const torch::Tensor& y, const torch::Tensor&) const override { return double(y.size(0)); }

private:
    double gamma_;
};

} // namespace imblab
