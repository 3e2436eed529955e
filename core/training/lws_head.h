// Learnable weight scaling (LWS, Kang et al. 2020) folded into an ordinary linear head:
// s_j·(w_j·f + b_j) = (s_j·w_j)·f + s_j·b_j, so the exported model needs no extra layer.
#pragma once

#include <torch/types.h>

#include <utility>

namespace imblab {

std::pair<torch::Tensor, torch::Tensor> scaledHead(const torch::Tensor& weight, const torch::Tensor& bias,
                                                   const torch::Tensor& scales);

} // namespace imblab
