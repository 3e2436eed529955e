// MaxNorm (weight balancing, Alshammari et al., CVPR 2022): after every optimizer step each
// class's classifier row w_j is projected back into the ball ‖w_j‖₂ ≤ R — rows inside are left
// alone, rows outside are scaled onto its surface. Frequent classes grow the largest rows under
// imbalance; the bound keeps them from dominating the logits.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

namespace imblab {

// Projects the rows of `weight` ([k, in]) onto ‖w_j‖₂ ≤ radius, in place. Returns how many rows
// were scaled.
int64_t projectRowNorms(torch::Tensor& weight, double radius);

// The projection's factor per row ([k, 1]): radius/‖w_j‖₂ for rows outside the ball, 1 inside.
// Nothing waits for the device, so the device pipeline queues (and may capture) it.
torch::Tensor rowNormScales(const torch::Tensor& weight, double radius);

// The classifier weight of our networks ("linear.weight", rows = classes) — the linear head's;
// an undefined tensor for the cosine head (NormedLinear normalises its columns itself).
torch::Tensor linearHeadWeight(torch::nn::Module& model);

} // namespace imblab
