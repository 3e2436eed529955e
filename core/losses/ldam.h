// The LDAM family (Cao et al. 2019). Δ_j = C / n_j^(1/4), C chosen so that max_j Δ_j = max_m
// (eq. 13 and the official code); the uniform-margin "M" loss uses Δ_j = max_m for every class.
#pragma once

#include "losses/loss.h"

#include <cstdint>
#include <vector>

namespace imblab {

// Δ_j = max_m · n_j^(−1/4) / max_i n_i^(−1/4).
std::vector<double> ldamMargins(const std::vector<int64_t>& counts, double maxMargin);

// LDAM: CE(s · (z − Δ_y·onehot(y)), y; w), z from the normalized head.
class LdamLoss : public Loss {
public:
    LdamLoss(std::vector<double> margins, double scale);
    torch::Tensor operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const override;
    std::vector<double> margins() const override { return margins_.values(); }

private:
    ClassConstant margins_;
    double scale_;
};

// LDAM-HG: max(max_{j≠y} z_j − z_y + Δ_y, 0), weighted mean over the batch (unscaled z).
class LdamHingeLoss : public Loss {
public:
    explicit LdamHingeLoss(std::vector<double> margins);
    torch::Tensor operator()(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w) const override;
    std::vector<double> margins() const override { return margins_.values(); }

private:
    ClassConstant margins_;
};

} // namespace imblab
