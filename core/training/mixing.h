// Mixup (Zhang et al., ICLR 2018) and CutMix (Yun et al., ICCV 2019) on one training batch: each
// row is blended with (mixup) or receives a box from (CutMix) a partner row of the same batch,
// and the loss is λ·L(z, y) + (1 − λ)·L(z, y_partner) — any loss, weighted or not, so both
// work with every loss and with deferred re-weighting (the "bag of tricks" recipe).
// Everything is drawn from the run's RNG, so a seed gives the same mixes on every machine.
#pragma once

#include "util/rng.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imblab {

class Loss;

struct BatchMix {
    double lambda = 1;              // the share of each row's own image and label
    std::vector<int64_t> partner;   // row i is mixed with row partner[i] (a permutation)
    bool cut = false;               // CutMix: the box below comes from the partner
    int64_t top = 0, left = 0, height = 0, width = 0;
};

// Beta(α, α) from two Gamma(α) draws (Marsaglia–Tsang), α > 0.
double drawBeta(Rng& rng, double alpha);

// Mixup: λ ~ Beta(α, α), partners a random permutation (drawn after λ).
BatchMix drawMixup(Rng& rng, int64_t batch, double alpha);
// CutMix: λ ~ Beta(α, α); a box of side ratios √(1 − λ) centred uniformly in the H×W image and
// clipped to it (the official cutmix code); λ becomes 1 − box area / (H·W), the exact share.
BatchMix drawCutMix(Rng& rng, int64_t batch, int64_t height, int64_t width, double alpha);

// The mixed rows of `x` ([B, …]; images [B, C, H, W] for CutMix).
torch::Tensor applyMix(const torch::Tensor& x, const BatchMix& mix);
// The partners' labels y[partner].
torch::Tensor partnerLabels(const torch::Tensor& y, const BatchMix& mix);

} // namespace imblab
